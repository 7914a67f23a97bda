from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.change_log_page, name="change-log"),
    path("audit/accesses/", views.access_log_page, name="access-log"),
    path("audit/logins/", views.login_log_page, name="login-log"),
]
