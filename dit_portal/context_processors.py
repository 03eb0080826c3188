from django.conf import settings


def portal(request):
    """Names the layout needs on every page, including the error pages."""
    return {
        # The top-level section the page belongs to, to mark it in the main navigation.
        "nav_section": request.path.strip("/").split("/", 1)[0],
        "PORTAL_NAME": settings.PORTAL_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
