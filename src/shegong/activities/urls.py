from django.urls import path

from shegong.common.urls import object_routes

from . import views

app_name = "activities"
urlpatterns = [
    *object_routes("activities/", "activity", views, "list", "create", "detail"),
    path("activities/<int:pk>/members/", views.members_add, name="members-add"),
    path("activities/<int:pk>/sessions/", views.session_add, name="session-add"),
    path("activities/<int:pk>/evaluate/", views.activity_evaluate, name="activity-evaluate"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity-cancel"),
]
