from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from shegong.access.api import DivisionViewSet
from shegong.accounts import auth_api
from shegong.accounts.api import UserViewSet
from shegong.activities.api import ActivityViewSet
from shegong.audit.api import AccessList, ChangeList, LoginList
from shegong.cases.api import CaseViewSet
from shegong.clients.api import ClientChoices, ClientViewSet
from shegong.cockpit.api import CoverageReportView, WorkbenchView
from shegong.common.job_api import ImportJobViewSet
from shegong.network.api import UnitChoices, UnitViewSet, VillageChoices
from shegong.notifications.api import NotificationViewSet
from shegong.people.api import WorkerChoices, WorkerViewSet
from shegong.purchasing.api import (
    AgencyViewSet,
    EvaluationViewSet,
    ProjectViewSet,
    PurchaserViewSet,
)
from shegong.purchasing.api.choices import ProjectUnitChoices
from shegong.records.api import ServiceRecordViewSet
from shegong.referrals.api import ReferralViewSet
from shegong.visits.api import VisitViewSet

router = DefaultRouter()
router.register("divisions", DivisionViewSet, basename="division")
router.register("units", UnitViewSet, basename="unit")
router.register("workers", WorkerViewSet, basename="worker")
router.register("users", UserViewSet, basename="user")
router.register("clients", ClientViewSet, basename="client")
router.register("cases", CaseViewSet, basename="case")
router.register("visits", VisitViewSet, basename="visit")
router.register("activities", ActivityViewSet, basename="activity")
router.register("import-jobs", ImportJobViewSet, basename="import-job")
router.register("purchasers", PurchaserViewSet, basename="purchaser")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("projects", ProjectViewSet, basename="project")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("service-records", ServiceRecordViewSet, basename="service-record")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    # Searchable selects' options (before the router: "choices" is no record's id).
    path("clients/choices/", ClientChoices.as_view(), name="client-choices"),
    path("workers/choices/", WorkerChoices.as_view(), name="worker-choices"),
    path("units/choices/", UnitChoices.as_view(), name="unit-choices"),
    path("divisions/choices/", VillageChoices.as_view(), name="village-choices"),
    path(
        "projects/<int:pk>/unit-choices/",
        ProjectUnitChoices.as_view(),
        name="project-unit-choices",
    ),
    path("auth/token/", auth_api.TokenView.as_view(), name="auth-token"),
    path("auth/logout/", auth_api.LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", auth_api.LogoutAllView.as_view(), name="auth-logout-all"),
    path("auth/password/", auth_api.PasswordView.as_view(), name="auth-password"),
    path("reports/coverage/", CoverageReportView.as_view(), name="report-coverage"),
    path("workbench/", WorkbenchView.as_view(), name="workbench"),
    path("audit/changes/", ChangeList.as_view(), name="audit-changes"),
    path("audit/accesses/", AccessList.as_view(), name="audit-accesses"),
    path("audit/logins/", LoginList.as_view(), name="audit-logins"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
