from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("", views.home, name="api_home"),
    path("openapi.json", views.schema, name="api_schema"),
    path("v1/", api.urls),
]
