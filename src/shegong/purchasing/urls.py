from django.urls import path

from . import views

app_name = "purchasing"
urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/board/", views.board, name="board"),
    path("projects/ledger/", views.ledger, name="ledger"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path(
        "projects/<int:pk>/indicators/<str:metric>/",
        views.indicator_drill,
        name="indicator-drill",
    ),
    path(
        "projects/<int:pk>/instalments/<int:instalment_id>/pay/",
        views.instalment_pay,
        name="instalment-pay",
    ),
    path("projects/<int:pk>/<str:step>/", views.project_step, name="project-step"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/respond/", views.evaluation_respond, name="evaluation-respond"),
    path("evaluations/<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path(
        "evaluations/<int:pk>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence-download",
    ),
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/new/", views.agency_edit, name="agency-create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency-edit"),
]
