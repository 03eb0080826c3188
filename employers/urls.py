from django.urls import path

from . import staff_views, views

app_name = "employers"

urlpatterns = [
    path("employers/", views.index, name="index"),
    path("employers/job-advert-checker/", views.advert_checker_view, name="advert_checker"),
    path("employers/invitation/<str:token>/", views.invitation, name="invitation"),
    path("employers/emails/<str:token>/stop/", views.stop_emails, name="stop_emails"),
    path("employers/survey/<slug:slug>/", views.survey, name="survey"),
    path("employers/survey/<slug:slug>/check/", views.survey_check, name="survey_check"),
    path("employers/survey/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("employers/survey/<slug:slug>/findings/", views.findings, name="findings"),
    path(
        "employers/survey/<slug:slug>/findings/figures.csv",
        views.findings_figures,
        name="findings_figures",
    ),
    path(
        "employers/survey/<slug:slug>/findings/figures-dictionary.csv",
        views.findings_figures_dictionary,
        name="findings_figures_dictionary",
    ),
    path("staff/employers/", staff_views.survey_list, name="staff_list"),
    path("staff/employers/new/", staff_views.survey_edit, name="create"),
    path("staff/employers/<slug:slug>/", staff_views.staff_survey, name="staff_survey"),
    path("staff/employers/<slug:slug>/edit/", staff_views.survey_edit, name="edit"),
    path("staff/employers/<slug:slug>/lists/", staff_views.list_item_edit, name="staff_lists"),
    path(
        "staff/employers/<slug:slug>/lists/<str:kind>/<int:pk>/",
        staff_views.list_item_edit,
        name="list_item_edit",
    ),
    path(
        "staff/employers/<slug:slug>/invitations/<int:pk>/resend/",
        staff_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "staff/employers/<slug:slug>/organisations/<int:employer_pk>/accounts/<int:user_pk>/remove/",
        staff_views.account_remove,
        name="account_remove",
    ),
    path("staff/employers/<slug:slug>/results/", staff_views.results, name="results"),
    path(
        "staff/employers/<slug:slug>/findings/announce/",
        staff_views.findings_announce,
        name="findings_announce",
    ),
    path(
        "staff/employers/<slug:slug>/export/responses.csv",
        staff_views.export_responses,
        name="export_responses",
    ),
    path(
        "staff/employers/<slug:slug>/export/responses-dictionary.csv",
        staff_views.export_responses_dictionary,
        name="export_responses_dictionary",
    ),
    path(
        "staff/employers/<slug:slug>/export/findings.csv",
        staff_views.export_findings,
        name="export_findings",
    ),
    path(
        "staff/employers/<slug:slug>/export/findings-dictionary.csv",
        staff_views.export_findings_dictionary,
        name="export_findings_dictionary",
    ),
    path(
        "staff/employers/<slug:slug>/findings/",
        staff_views.findings_manage,
        name="findings_manage",
    ),
]
