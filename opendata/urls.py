from django.urls import path
from django.views.generic import RedirectView

from . import views
from .api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api-v1:openapi-view"), name="api_home"),
    path("openapi.json", views.schema, name="api_schema"),
    path("v1/", api.urls),
]
