from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("workers/", views.worker_list, name="worker-list"),
    path("workers/new/", views.worker_create, name="worker-create"),
    path("workers/import/", views.worker_import, name="worker-import"),
    path(
        "workers/import/template.xlsx",
        views.worker_import_template,
        name="worker-import-template",
    ),
    path("workers/<int:pk>/", views.worker_detail, name="worker-detail"),
    path("workers/<int:pk>/edit/", views.worker_edit, name="worker-edit"),
    path("workers/<int:pk>/certificates/", views.certificate_add, name="certificate-add"),
    path("workers/<int:pk>/assignments/", views.assignment_add, name="assignment-add"),
    path(
        "workers/<int:pk>/assignments/<int:assignment_id>/end/",
        views.assignment_end,
        name="assignment-end",
    ),
]
