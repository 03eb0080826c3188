from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("news/", views.archive, name="archive"),
    path("staff/news/", views.staff_list, name="staff_list"),
    path("staff/news/new/", views.staff_edit, name="staff_create"),
    path("staff/news/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/news/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
]
