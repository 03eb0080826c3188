"""The roadmap as data, for whoever reuses it: the JSON export and the open data API."""

from . import dates


def activity_data(activity, url: str) -> dict:
    """One activity as data: dates at the precision given (ISO 8601, a month as YYYY-MM),
    with the words the roadmap shows, and its page at ``url``."""
    return {
        "slug": activity.slug,
        "title": activity.title,
        "kind": activity.kind,
        "workstream": activity.workstream.name,
        "description": activity.description,
        "starts": dates.iso(activity.starts_on, activity.starts_precision),
        "starts_precision": activity.starts_precision,
        "ends": dates.iso(activity.ends_on, activity.ends_precision) if activity.ends_on else None,
        "ends_precision": activity.ends_precision if activity.ends_on else None,
        "dates": dates.display_range(activity),
        "status": activity.status,
        "deliverables": [d.text for d in activity.deliverables.all()],
        "partners": [p.name for p in activity.partners.all()],
        "url": url,
    }
