from django.urls import path

from . import views

urlpatterns = [
    path("staff/reminders/", views.reminder_log, name="reminder_log"),
]
