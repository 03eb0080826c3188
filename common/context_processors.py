from django.conf import settings

from . import kept_pages

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


# The address prefixes of the languages other than English (dit_portal.urls).
LANGUAGE_PREFIXES = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}


def staff_section(path: str) -> str | None:
    """Which item of the staff navigation a page under /staff/ belongs to; None elsewhere."""
    parts = path.strip("/").split("/")
    if parts[0] != "staff":
        return None
    section = "/".join(parts[1:3]) if parts[1:2] == ["network"] else "/".join(parts[1:2])
    return STAFF_SECTIONS.get(section, section) or "dashboard"


def nav_section(path: str) -> str:
    """The section of the main navigation a page belongs to, in any language ("" if none)."""
    parts = path.strip("/").split("/")
    if parts[0] in LANGUAGE_PREFIXES:
        parts = parts[1:] or [""]
    return NAV_SECTIONS.get(parts[0], "")


def portal(request):
    """Names the layout needs on every page, including the error pages; for a page being
    kept whole (``kept_pages.whole``), the hole its visitors' CSRF tokens go in, in place of
    the token of the visitor it is rendered for."""
    kept_whole = (
        {"csrf_token": kept_pages.CSRF_HOLE} if getattr(request, "keeping_whole", False) else {}
    )
    return {
        **kept_whole,
        # The section of the main navigation the page belongs to, if any, to mark it there.
        "nav_section": nav_section(request.path),
        # The page in each language it is offered in (common.languages.switcher), if more
        # than one.
        "page_languages": getattr(request, "page_languages", []),
        "staff_section": staff_section(request.path),
        "PORTAL_NAME": settings.PORTAL_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
