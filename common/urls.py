from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says (the admin says nothing).
    path("favicon.ico", views.favicon, name="favicon"),
]
