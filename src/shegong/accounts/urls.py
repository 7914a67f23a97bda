from django.urls import path

from shegong.common.urls import object_routes

from . import views

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
]
