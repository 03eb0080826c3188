import logging

from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


class PrivateForSignedInMiddleware:
    """Whatever a signed-in person is shown may be about them: no browser or proxy keeps
    it. Pages that anonymous visitors fill in (the consultation) say so themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class UnreadableAddressMiddleware:
    """Refuse, with the portal's 400 page, a web address nothing in the portal can read:
    a NUL character in its path or query string (PostgreSQL cannot compare text holding
    one, so a page looking it up failed with a server error), or the admin's
    ``_to_field`` left empty (Django's admin looks up a field named "")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or "\x00" in "".join(query.getlist(key)) for key in query
        ):
            raise BadRequest("A NUL character in the address")
        # Only the admin reads _to_field; elsewhere the form is left unread, so a view may
        # still choose how its uploads are received (the advert checker keeps them in memory).
        posted = request.POST if request.path.startswith(reverse("admin:index")) else {}
        if "" in (query.get("_to_field"), posted.get("_to_field")):
            raise BadRequest("An empty _to_field")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database outage answers 503 with the portal's own page, never a false success."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # OperationalError and InterfaceError are how every backend reports a database it
        # cannot reach or that went away; other database errors are bugs and stay 500s.
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.exception("Database unavailable", exc_info=exception)
        return database_unavailable()


def database_unavailable() -> HttpResponse:
    """The portal's 503 page, rendered without the request: the layout must not touch the
    database again."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "60"
    return response
