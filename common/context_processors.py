from django.conf import settings

# The main navigation's sections, by the first part of their pages' paths ("" is home).
NAV_SECTIONS = {
    "": "home",
    "roadmap": "roadmap",
    "consultation": "consultation",
    "employers": "employers",
    "network": "network",
}


def portal(request):
    """Names the layout needs on every page, including the error pages."""
    return {
        # The section of the main navigation the page belongs to, if any, to mark it there.
        "nav_section": NAV_SECTIONS.get(request.path.strip("/").split("/", 1)[0], ""),
        "PORTAL_NAME": settings.PORTAL_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
