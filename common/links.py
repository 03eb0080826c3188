from django.conf import settings


def absolute_url(path: str) -> str:
    """The portal's public address for ``path``, for links in email (sent by Celery, with no
    request to take the host from)."""
    return settings.SITE_URL.rstrip("/") + path
