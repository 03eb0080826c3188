"""The portal's URLconf plus `/bench/trivial/`, the baseline every page is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("", include("dit_portal.urls")),
]

handler500 = "common.views.server_error"
