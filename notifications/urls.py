from django.urls import path

from . import views

urlpatterns = [
    path("staff/email/", views.email_log, name="email_log"),
    path("reply/<str:token>/<slug:answer>/", views.reply, name="reply"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("calendar/feed/", views.calendar_feed_manage, name="calendar_feed_manage"),
]
