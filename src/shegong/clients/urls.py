from django.urls import path

from shegong.common.urls import object_routes

from . import alert_views, file_views, views

app_name = "clients"
urlpatterns = [
    *object_routes("clients/", "client", views, "list", "create", "detail", "edit"),
    path("clients/import/", views.roster_import, name="roster-import"),
    path("clients/import/template.xlsx", views.roster_template, name="roster-template"),
    path("clients/<int:pk>/file.pdf", file_views.client_dossier_pdf, name="client-dossier-pdf"),
    path(
        "clients/<int:pk>/file/<slug:section>/",
        file_views.client_file_section,
        name="client-file-section",
    ),
    path("clients/<int:pk>/consents/", views.consent_add, name="consent-add"),
    path("clients/<int:pk>/household/", views.household_add, name="household-add"),
    path("clients/<int:pk>/merge/<int:other_pk>/", views.client_merge, name="client-merge"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:pk>/resolve/", views.alert_resolve, name="alert-resolve"),
    path("alerts/<int:pk>/review/", alert_views.alert_review, name="alert-review"),
]
