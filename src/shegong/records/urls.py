from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("service-records/", views.ledger, name="ledger"),
    path("service-records/new/", views.record_create, name="record-create"),
    path("service-records/<int:pk>/", views.record_detail, name="record-detail"),
    path("service-records/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path(
        "service-records/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment-download",
    ),
]
