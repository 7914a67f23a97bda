from django.urls import path

from shegong.common.urls import object_routes

from . import login_views, views

app_name = "accounts"
urlpatterns = [
    *object_routes("accounts/", "user", views, "list", "create", "detail", "edit"),
    path("accounts/<int:pk>/grants/", views.grant_add, name="grant-add"),
    path(
        "accounts/<int:pk>/grants/<int:grant_id>/revoke/", views.grant_remove, name="grant-remove"
    ),
    path("accounts/<int:pk>/password/", views.user_password, name="user-password"),
    path("accounts/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
    path("security/", views.security_overview, name="security"),
    path("security/<int:pk>/unlock/", views.security_unlock, name="security-unlock"),
    path(
        "security/<int:pk>/two-factor/reset/",
        views.security_two_factor_reset,
        name="security-two-factor-reset",
    ),
    # The login steps after the password, and one's own password.
    path("login/two-factor/", login_views.two_factor, name="two-factor"),
    path("login/two-factor/setup/", login_views.two_factor_setup, name="two-factor-setup"),
    path("account/password/", login_views.password_change, name="password-change"),
]
