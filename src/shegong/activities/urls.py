from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("activities/", views.activity_list, name="activity-list"),
    path("activities/new/", views.activity_create, name="activity-create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/members/", views.members_add, name="members-add"),
    path("activities/<int:pk>/sessions/", views.session_add, name="session-add"),
    path("activities/<int:pk>/evaluate/", views.activity_evaluate, name="activity-evaluate"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity-cancel"),
]
