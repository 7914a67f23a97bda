from django.urls import path

from shegong.common.urls import object_routes

from . import file_views, views

app_name = "cases"
urlpatterns = [
    *object_routes("cases/", "case", views, "list", "detail"),
    path("cases/<int:pk>/file.pdf", file_views.case_file, name="case-file"),
    path("cases/<int:pk>/record-service/", views.case_record_service, name="case-record-service"),
    path("cases/<int:pk>/<str:step>/", views.case_step, name="case-step"),
    path("clients/<int:pk>/open-case/", views.case_open, name="case-open"),
]
