from django.urls import path

from . import views

urlpatterns = [
    path("staff/email/", views.email_log, name="email_log"),
    path("reply/<str:token>/<slug:answer>/", views.reply, name="reply"),
]
