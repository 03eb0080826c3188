import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health
from .middleware import database_unavailable


def confirm(request, *, question, explanation, warning, action, back, keep=None, hidden=None):
    """A page that asks before a destructive action: what it does, a warning button that
    posts to this page's own address (with ``hidden`` fields), and a link back (``keep``:
    its words, "Cancel" unless given) that does nothing."""
    return render(
        request,
        "confirm.html",
        {
            "question": question,
            "explanation": explanation,
            "warning": warning,
            "action": action,
            "back": back,
            "keep": keep or _("Cancel"),
            "hidden": hidden or {},
        },
    )


@never_cache
@require_safe
def healthz(request):
    """Public, for load balancers: 200 when every dependency answers, else 503."""
    checks = health.run_checks()
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


@require_safe
def favicon(request):
    """Public. Browsers ask for /favicon.ico whatever a page says (the admin says nothing)."""
    return redirect(static("images/favicon.svg"), permanent=True)


def server_error(request):
    """Django's last resort for an error nothing else handled. A database that went away
    while the request was being finished (the session, say) is an outage, not a bug: it
    answers 503 like ``DatabaseUnavailableMiddleware`` does."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable()
    return HttpResponseServerError(loader.get_template("500.html").render())
