from django.urls import path

from . import views

app_name = "milestones"

urlpatterns = [
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap/calendar.ics", views.calendar_feed, name="calendar"),
    path("roadmap.json", views.roadmap_json, name="roadmap_json"),
    path("roadmap/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("roadmap/meetings/<int:pk>/rsvp/", views.meeting_rsvp, name="meeting_rsvp"),
    path("roadmap/meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path(
        "roadmap/meetings/<int:pk>/papers/<int:paper_pk>/",
        views.paper_download,
        name="paper_download",
    ),
    path("roadmap/<slug:slug>/", views.activity_detail, name="activity_detail"),
    path("staff/roadmap/", views.staff_roadmap, name="staff_roadmap"),
    path("staff/roadmap/activities/new/", views.activity_create, name="activity_create"),
    path("staff/roadmap/activities/<slug:slug>/", views.activity_edit, name="activity_edit"),
    path("staff/roadmap/advisers/", views.advisory_members, name="advisory_members"),
    path("staff/roadmap/advisers/new/", views.advisory_member_edit, name="advisory_member_create"),
    path(
        "staff/roadmap/advisers/<int:pk>/", views.advisory_member_edit, name="advisory_member_edit"
    ),
    path("staff/roadmap/meetings/new/", views.meeting_create, name="meeting_create"),
    path("staff/roadmap/meetings/<int:pk>/", views.meeting_edit, name="meeting_edit"),
    path("staff/roadmap/meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("staff/roadmap/meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("staff/roadmap/meetings/<int:pk>/papers/", views.meeting_papers, name="meeting_papers"),
    path(
        "staff/roadmap/meetings/<int:pk>/papers/<int:paper_pk>/remove/",
        views.paper_remove,
        name="paper_remove",
    ),
]
