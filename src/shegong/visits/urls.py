from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("visits/due/", views.due_list, name="due-list"),
    path("clients/<int:pk>/visits/new/", views.visit_create, name="visit-create"),
]
