from django.urls import path

from . import views

app_name = "cockpit"
urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/details/", views.coverage_drill, name="coverage-drill"),
]
