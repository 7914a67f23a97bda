from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from shegong.accounts import views as account_views
from shegong.cockpit import views as cockpit_views

# The apps whose pages hang off the site root, each with its own ``urls.py``.
PAGE_APPS = [
    "cockpit",
    "network",
    "people",
    "clients",
    "visits",
    "referrals",
    "records",
    "cases",
    "activities",
    "purchasing",
    "accounts",
    "audit",
    "notifications",
]

urlpatterns = [
    path("", cockpit_views.home, name="home"),
    path("imports/<int:pk>/", account_views.import_job_detail, name="import-job"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path("", include(f"shegong.{app}.urls")) for app in PAGE_APPS),
    path("api/v1/", include(("shegong.config.api_urls", "api"))),
    # One's own password is changed on the site's page (history, expiry, tokens), never
    # through the admin's form.
    path(
        "admin/password_change/",
        RedirectView.as_view(pattern_name="accounts:password-change", permanent=False),
    ),
    path("admin/", admin.site.urls),
]

admin.site.site_header = settings.SITE_NAME

# Under /api/ every error is JSON, even those Django answers before DRF sees the request.
handler400 = "shegong.common.error_views.bad_request"
handler403 = "shegong.common.error_views.permission_denied"
handler404 = "shegong.common.error_views.page_not_found"
handler500 = "shegong.common.error_views.server_error"
