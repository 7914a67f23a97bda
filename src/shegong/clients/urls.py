from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("clients/", views.client_list, name="client-list"),
    path("clients/new/", views.client_create, name="client-create"),
    path("clients/import/", views.roster_import, name="roster-import"),
    path("clients/import/template.xlsx", views.roster_template, name="roster-template"),
    path("clients/<int:pk>/", views.client_detail, name="client-detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="client-edit"),
    path("clients/<int:pk>/consents/", views.consent_add, name="consent-add"),
    path("clients/<int:pk>/household/", views.household_add, name="household-add"),
    path("clients/<int:pk>/merge/<int:other_pk>/", views.client_merge, name="client-merge"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:pk>/resolve/", views.alert_resolve, name="alert-resolve"),
]
