from django.conf import settings

# The main navigation's sections, by the first part of their pages' paths ("" is home).
NAV_SECTIONS = {
    "": "home",
    "roadmap": "roadmap",
    "consultation": "consultation",
    "employers": "employers",
    "network": "network",
    "news": "news",
    "recommendations": "recommendations",
    "evidence": "recommendations",
}


# The staff workspace's navigation, by the part of the path after /staff/: each network
# page by its own part (a reflection session belongs to its cohort).
STAFF_SECTIONS = {
    "network/sessions": "network/cohorts",
    "network/places": "network/cohorts",
    "evidence": "recommendations",
}


def staff_section(path: str) -> str | None:
    """Which item of the staff navigation a page under /staff/ belongs to; None elsewhere."""
    parts = path.strip("/").split("/")
    if parts[0] != "staff":
        return None
    section = "/".join(parts[1:3]) if parts[1:2] == ["network"] else "/".join(parts[1:2])
    return STAFF_SECTIONS.get(section, section) or "dashboard"


def portal(request):
    """Names the layout needs on every page, including the error pages."""
    return {
        # The section of the main navigation the page belongs to, if any, to mark it there.
        "nav_section": NAV_SECTIONS.get(request.path.strip("/").split("/", 1)[0], ""),
        "staff_section": staff_section(request.path),
        "PORTAL_NAME": settings.PORTAL_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
