from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/<str:status>/", views.referral_transition, name="referral-transition"),
    path("clients/<int:pk>/refer/", views.referral_create, name="referral-create"),
]
