from django.urls import path

from . import views

app_name = "consultation"

# The resident journey: served in every language the portal offers (dit_portal.urls).

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
    path("consultation/<slug:slug>/easy-read/", views.easy_read_start, name="easy_read"),
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
]
