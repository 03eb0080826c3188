from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import docs
from .api import api

# What any address of the portal may answer before the API sees it: one it cannot read
# (a NUL character, say: ``common.middleware.UnreadableAddressMiddleware``).
UNREADABLE = {
    "description": "Bad Request: an address the portal cannot read",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def _schema() -> dict:
    """The API's OpenAPI schema, with what the portal's middleware may answer first."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for methods in schema["paths"].values():
        for operation in methods.values():
            operation["responses"].setdefault("400", UNREADABLE)
    return schema


@require_safe
def schema(request):
    """Public: the open data API's OpenAPI 3 schema (its current version's)."""
    return JsonResponse(_schema())


@require_safe
def home(request):
    """Public: how to use the open data API, read from its schema."""
    operations, shapes = docs.read(_schema())
    return render(
        request,
        "opendata/docs.html",
        {"operations": operations, "shapes": shapes, "version": api.version},
    )
