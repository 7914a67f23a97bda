from django.urls import path

from shegong.common.urls import object_routes

from . import views

app_name = "people"
urlpatterns = [
    *object_routes(
        "workers/", "worker", views, "list", "create", "import", "import-template", "detail", "edit"
    ),
    path("workers/<int:pk>/certificates/", views.certificate_add, name="certificate-add"),
    path("workers/<int:pk>/assignments/", views.assignment_add, name="assignment-add"),
    path(
        "workers/<int:pk>/assignments/<int:assignment_id>/end/",
        views.assignment_end,
        name="assignment-end",
    ),
]
