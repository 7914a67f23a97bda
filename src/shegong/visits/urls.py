from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("visits/due/", views.due_list, name="due-list"),
    path("clients/<int:pk>/visits/new/", views.visit_create, name="visit-create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/correct/", views.visit_correct, name="visit-correct"),
    path("visits/<int:pk>/void/", views.visit_void, name="visit-void"),
    # The photo by ``?id=`` (and ``&size=thumb``): read through the visit's scope.
    path("visits/<int:pk>/photo/", views.visit_photo, name="visit-photo"),
]
