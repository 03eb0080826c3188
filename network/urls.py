from django.urls import path

from . import staff_views, views

app_name = "network"

urlpatterns = [
    path("network/", views.index, name="index"),
    path("network/apply/", views.apply, name="apply"),
    path("network/members/", views.members, name="members"),
    path("network/profile/", views.profile, name="profile"),
    path("network/leave/", views.leave, name="leave"),
    path("network/me/", views.me, name="me"),
    path("network/me/sessions/<int:pk>.ics", views.session_ics, name="session_ics"),
    path("network/me/mentoring/<int:pk>/", views.pairing, name="pairing"),
    path("network/me/evaluation/<int:pk>/<str:stage>/", views.evaluation, name="evaluation"),
    path("network/me/mentoring/<int:pk>/end/", views.pairing_end, name="pairing_end"),
    path("network/cohorts/<int:pk>/ask/", views.ask, name="ask"),
    path("network/organisation/", views.organisation, name="organisation"),
    path(
        "network/organisation/nominations/<int:pk>/",
        views.organisation_nomination,
        name="organisation_nomination",
    ),
    path("network/news/<str:token>/stop/", views.stop_news, name="stop_news"),
    path("network/events/", views.events, name="events"),
    path("network/events/<slug:slug>/", views.event, name="event"),
    path("network/events/<slug:slug>/event.ics", views.event_ics, name="event_ics"),
    path("network/events/<slug:slug>/sessions/", views.sessions, name="sessions"),
    path("network/events/<slug:slug>/timetable.ics", views.timetable_ics, name="timetable_ics"),
    path("staff/network/applications/", staff_views.applications, name="applications"),
    path("staff/network/applications/<int:pk>/", staff_views.decide, name="decide"),
    path("staff/network/cohorts/", staff_views.cohorts, name="cohorts"),
    path("staff/network/cohorts/<int:pk>/", staff_views.cohort, name="cohort"),
    path(
        "staff/network/cohorts/<int:pk>/evaluation/",
        staff_views.cohort_evaluation,
        name="cohort_evaluation",
    ),
    # Withdrawing asks first: its own page, at the address the withdraw button posted to.
    path(
        "staff/network/places/<int:pk>/withdraw/",
        staff_views.place_withdraw,
        name="place_withdraw",
    ),
    path(
        "staff/network/places/<int:pk>/<str:action>/", staff_views.place_action, name="place_action"
    ),
    path("staff/network/sessions/<int:pk>/", staff_views.session, name="session"),
    path(
        "staff/network/nominations/<int:pk>/place/",
        staff_views.nomination_place,
        name="nomination_place",
    ),
    # Declining asks for the reason first: its own page, posting to itself.
    path(
        "staff/network/nominations/<int:pk>/decline/",
        staff_views.nomination_decline,
        name="nomination_decline",
    ),
    path("staff/network/events/new/", staff_views.event_edit, name="event_create"),
    path("staff/network/events/<slug:slug>/", staff_views.event_edit, name="event_edit"),
    path(
        "staff/network/events/<slug:slug>/attendance/",
        staff_views.event_attendance,
        name="event_attendance",
    ),
    path("staff/network/events/<slug:slug>/cancel/", staff_views.event_cancel, name="event_cancel"),
    path("staff/network/events/<slug:slug>/timetable/", staff_views.timetable, name="timetable"),
    path("staff/network/mentoring/", staff_views.mentoring, name="mentoring"),
    # Rejecting asks first: its own page, at the address the reject button posted to.
    path(
        "staff/network/mentoring/<int:pk>/reject/",
        staff_views.match_reject,
        name="match_reject",
    ),
    path(
        "staff/network/mentoring/<int:pk>/<str:action>/",
        staff_views.match_action,
        name="match_action",
    ),
]
