from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/record-service/", views.case_record_service, name="case-record-service"),
    path("cases/<int:pk>/<str:step>/", views.case_step, name="case-step"),
    path("clients/<int:pk>/open-case/", views.case_open, name="case-open"),
]
