from django.urls import path

from shegong.common.urls import object_routes

from . import views

app_name = "network"
urlpatterns = [
    *object_routes(
        "units/", "unit", views, "list", "create", "import", "import-template", "detail", "edit"
    ),
    path("units/<int:pk>/status/", views.unit_transition, name="unit-transition"),
]
