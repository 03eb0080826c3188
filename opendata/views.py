from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import docs
from .api import api


def _schema() -> dict:
    return api.get_openapi_schema(path_prefix="/api/v1")


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
