from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("accounts/", views.user_list, name="user-list"),
    path("accounts/new/", views.user_create, name="user-create"),
    path("accounts/<int:pk>/", views.user_detail, name="user-detail"),
    path("accounts/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("accounts/<int:pk>/grants/", views.grant_add, name="grant-add"),
    path(
        "accounts/<int:pk>/grants/<int:grant_id>/revoke/", views.grant_remove, name="grant-remove"
    ),
    path("accounts/<int:pk>/password/", views.user_password, name="user-password"),
    path("accounts/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
    path("security/", views.security_overview, name="security"),
    path("security/<int:pk>/unlock/", views.security_unlock, name="security-unlock"),
]
