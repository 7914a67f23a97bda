from django.urls import path

from shegong.common.urls import object_routes

from . import views

app_name = "referrals"
urlpatterns = [
    *object_routes("referrals/", "referral", views, "list", "detail"),
    path("referrals/<int:pk>/<str:status>/", views.referral_transition, name="referral-transition"),
    path("clients/<int:pk>/refer/", views.referral_create, name="referral-create"),
]
