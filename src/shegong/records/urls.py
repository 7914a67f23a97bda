from django.urls import path

from shegong.common.urls import object_routes

from . import views

app_name = "records"
urlpatterns = [
    path("service-records/", views.ledger, name="ledger"),
    *object_routes("service-records/", "record", views, "create", "detail"),
    path("service-records/<int:pk>/correct/", views.record_correct, name="record-correct"),
    path("service-records/<int:pk>/void/", views.record_void, name="record-void"),
    path("service-records/<int:pk>/attachments/", views.attachment_add, name="attachment-add"),
    path(
        "service-records/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment-download",
    ),
]
