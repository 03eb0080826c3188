from django.urls import path

from . import staff_views, views

app_name = "consultation"

urlpatterns = [
    path("consultation/", views.index, name="index"),
    path(
        "consultation/contact/<uuid:token>/withdraw/",
        views.withdraw_contact,
        name="withdraw_contact",
    ),
    path("consultation/contact/<uuid:token>/", views.contact_topics, name="contact_topics"),
    path(
        "consultation/contact/<uuid:token>/unsubscribe/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("consultation/<slug:slug>/", views.detail, name="detail"),
    path("consultation/<slug:slug>/privacy/", views.privacy, name="privacy"),
    path("consultation/<slug:slug>/answer/check/", views.check, name="check"),
    path("consultation/<slug:slug>/answer/<slug:step_slug>/", views.step, name="step"),
    path("consultation/<slug:slug>/done/", views.done, name="done"),
    path("consultation/<slug:slug>/findings/", views.findings, name="findings"),
    path(
        "consultation/<slug:slug>/findings/figures.csv",
        views.findings_figures,
        name="findings_figures",
    ),
    path(
        "consultation/<slug:slug>/findings/figures-dictionary.csv",
        views.findings_figures_dictionary,
        name="findings_figures_dictionary",
    ),
    path("staff/consultation/", staff_views.consultation_list, name="staff_list"),
    path("staff/consultation/new/", staff_views.consultation_edit, name="create"),
    path("staff/consultation/wards/", staff_views.wards, name="wards"),
    path("staff/consultation/wards/<int:pk>/", staff_views.wards, name="ward_edit"),
    path("staff/consultation/<slug:slug>/", staff_views.staff_detail, name="staff_detail"),
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
