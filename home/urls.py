from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
]
