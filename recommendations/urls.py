from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("recommendations/", views.index, name="index"),
    path("recommendations/<slug:slug>/", views.detail, name="detail"),
    path(
        "consultation/<slug:slug>/you-said-we-did/",
        views.you_said_we_did,
        name="you_said_we_did",
    ),
    path("evidence/", views.evidence_library, name="evidence"),
    path("evidence/<slug:slug>/file/", views.document_file, name="document_file"),
    path("staff/recommendations/", views.staff_list, name="staff_list"),
    path("staff/recommendations/new/", views.staff_create, name="staff_create"),
    path("staff/recommendations/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/recommendations/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/recommendations/<int:pk>/evidence/", views.staff_evidence, name="staff_evidence"),
    path(
        "staff/recommendations/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.staff_evidence_remove,
        name="staff_evidence_remove",
    ),
    path(
        "staff/recommendations/<int:pk>/evidence/<int:evidence_pk>/quotes/",
        views.staff_quotes,
        name="staff_quotes",
    ),
    path(
        "staff/recommendations/<int:pk>/actions/<int:action_pk>/remove/",
        views.staff_action_remove,
        name="staff_action_remove",
    ),
    path("staff/evidence/", views.staff_documents, name="staff_documents"),
    path("staff/evidence/new/", views.staff_document_edit, name="staff_document_create"),
    path("staff/evidence/<int:pk>/", views.staff_document_edit, name="staff_document_edit"),
]
