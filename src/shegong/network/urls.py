from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/import/", views.unit_import, name="unit-import"),
    path("units/import/template.xlsx", views.unit_import_template, name="unit-import-template"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<int:pk>/status/", views.unit_transition, name="unit-transition"),
]
