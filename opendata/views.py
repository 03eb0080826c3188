import copy

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


# What an operation taking a JSON body answers to a body that is not JSON (django-ninja's
# own answer, which it leaves out of the schema).
UNPARSABLE = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}


def _schema() -> dict:
    """The API's OpenAPI schema, with what the portal's middleware may answer first."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for methods in schema["paths"].values():
        for operation in methods.values():
            reply = operation["responses"].setdefault("400", copy.deepcopy(UNREADABLE))
            if "requestBody" in operation:
                reply["description"] += ", or a body that is not JSON"
                reply["content"] |= UNPARSABLE
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
