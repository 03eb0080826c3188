from django.middleware.http import ConditionalGetMiddleware


class OpenDataConditionalGetMiddleware(ConditionalGetMiddleware):
    """ETags on the open data API (``/api/``): a client that already has a response sends
    its ETag back and gets 304 Not Modified, with no body, while nothing changed."""

    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        response = super().process_response(request, response)
        if response.status_code in (200, 304) and request.method in ("GET", "HEAD"):
            response.headers.setdefault("Cache-Control", "public, max-age=60")
        return response
