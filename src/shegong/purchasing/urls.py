from django.urls import path

from shegong.common.urls import object_routes

from .views import agencies, evaluations, indicators, payments, projects

app_name = "purchasing"
urlpatterns = [
    *object_routes("projects/", "project", projects, "list", "create", "detail"),
    path("projects/board/", indicators.board, name="board"),
    path("projects/ledger/", payments.ledger, name="ledger"),
    path(
        "projects/<int:pk>/indicators/<str:metric>/",
        indicators.indicator_drill,
        name="indicator-drill",
    ),
    path(
        "projects/<int:pk>/instalments/<int:instalment_id>/pay/",
        payments.instalment_pay,
        name="instalment-pay",
    ),
    path("projects/<int:pk>/<str:step>/", projects.project_step, name="project-step"),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation-detail"),
    path(
        "evaluations/<int:pk>/respond/",
        evaluations.evaluation_respond,
        name="evaluation-respond",
    ),
    path("evaluations/<int:pk>/evidence/", evaluations.evidence_add, name="evidence-add"),
    path(
        "evaluations/<int:pk>/evidence/<int:evidence_id>/",
        evaluations.evidence_download,
        name="evidence-download",
    ),
    *object_routes("agencies/", "agency", agencies, "list", "detail", "edit"),
    path("agencies/new/", agencies.agency_edit, name="agency-create"),
]
