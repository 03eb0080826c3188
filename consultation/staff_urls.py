from django.urls import path

from . import staff_views

# Staff pages, in English only.
app_name = "consultation_staff"

urlpatterns = [
    path("staff/consultation/", staff_views.consultation_list, name="list"),
    path("staff/consultation/new/", staff_views.consultation_edit, name="create"),
    path("staff/consultation/wards/", staff_views.wards, name="wards"),
    path("staff/consultation/wards/<int:pk>/", staff_views.wards, name="ward_edit"),
    path("staff/consultation/<slug:slug>/", staff_views.staff_detail, name="detail"),
    path("staff/consultation/<slug:slug>/edit/", staff_views.consultation_edit, name="edit"),
    path("staff/consultation/<slug:slug>/answers/new/", staff_views.option_edit, name="option_add"),
    path(
        "staff/consultation/<slug:slug>/answers/<int:pk>/",
        staff_views.option_edit,
        name="option_edit",
    ),
    path(
        "staff/consultation/<slug:slug>/responses/new/",
        staff_views.response_enter,
        name="response_enter",
    ),
    path(
        "staff/consultation/<slug:slug>/translations/",
        staff_views.translations,
        name="translations",
    ),
    path(
        "staff/consultation/<slug:slug>/translations/<str:language>/",
        staff_views.translation_edit,
        name="translation_edit",
    ),
    path("staff/consultation/<slug:slug>/capture/", staff_views.capture_page, name="capture"),
    path(
        "staff/consultation/<slug:slug>/capture/token/",
        staff_views.capture_token,
        name="capture_token",
    ),
    path(
        "staff/consultation/<slug:slug>/capture/worker.js",
        staff_views.capture_worker,
        name="capture_worker",
    ),
    path(
        "staff/consultation/<slug:slug>/capture/manifest.webmanifest",
        staff_views.capture_manifest,
        name="capture_manifest",
    ),
    path(
        "staff/consultation/<slug:slug>/capture/sync/",
        staff_views.capture_sync,
        name="capture_sync",
    ),
    path("staff/consultation/<slug:slug>/results/", staff_views.results, name="results"),
    path("staff/consultation/<slug:slug>/coding/", staff_views.coding, name="coding"),
    path(
        "staff/consultation/<slug:slug>/coding/<str:reference>/",
        staff_views.coding,
        name="code_response",
    ),
    path("staff/consultation/<slug:slug>/themes/", staff_views.theme_add, name="theme_add"),
    path(
        "staff/consultation/<slug:slug>/export/answers.csv",
        staff_views.export_answers,
        name="export_answers",
    ),
    path(
        "staff/consultation/<slug:slug>/export/answers-dictionary.csv",
        staff_views.export_answers_dictionary,
        name="export_answers_dictionary",
    ),
    path(
        "staff/consultation/<slug:slug>/export/findings.csv",
        staff_views.export_aggregate,
        name="export_aggregate",
    ),
    path(
        "staff/consultation/<slug:slug>/export/findings-dictionary.csv",
        staff_views.export_aggregate_dictionary,
        name="export_aggregate_dictionary",
    ),
    path(
        "staff/consultation/<slug:slug>/findings/",
        staff_views.findings_manage,
        name="findings_manage",
    ),
]
