"""The portal's URLconf plus `/bench/trivial/`, the baseline every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from dit_portal.urls import urlpatterns as portal


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


# The portal's own patterns, not an include of them: its resident pages are per language
# (i18n_patterns), which Django allows only in the root URLconf.
urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *portal]

handler500 = "common.views.server_error"
