from django.urls import path

from . import session, views

app_name = "cockpit"
urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/details/", views.coverage_drill, name="coverage-drill"),
    path("session/keepalive/", session.keepalive, name="keepalive"),
]
