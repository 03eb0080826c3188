from django.http import JsonResponse
from django.views.decorators.http import require_safe

from .api import api


@require_safe
def schema(request):
    """Public: the open data API's OpenAPI 3 schema (its current version's)."""
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1"))
