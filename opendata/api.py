"""The open data API (README: "Open data"): the roadmap, the recommendations, published
findings and public events, as JSON and CSV, described by an OpenAPI 3 schema.

Only what the public pages show leaves here: public activities, published
recommendations, and findings only as their current release froze and disclosure-audited
them (a suppressed or hidden count is null, never its value)."""

import hashlib
import json

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.pagination import PaginationBase, paginate

from common import kept_pages
from employers import adverts
from milestones import dates, exports
from milestones import selectors as roadmap
from milestones.models import AdvisoryMeeting
from milestones.selectors import EVENT_KINDS
from recommendations import figures, selectors
from recommendations.models import EvidenceKind, Recommendation, Status
from reporting.breakdowns import Figure, in_words, withheld_as
from reporting.csvfiles import csv_download
from reporting.releases import SEPARATOR, current_releases

from . import schemas

api = NinjaAPI(
    title="DiT Portal open data",
    version="1",
    description=(
        "The Diversity in Tech commission's roadmap, recommendations, published findings and "
        "public events. Findings are only ever a published release: every figure passed the "
        "disclosure audit, and a count too small to publish is null."
    ),
    urls_namespace="api-v1",
    # Documented at /api/ (``docs``), in the portal's own accessible pages, and described
    # at /api/openapi.json (``views.schema``).
    docs_url=None,
    openapi_url=None,
)


@api.exception_handler(Http404)
def _not_found(request, missing):
    """A 404 that says what is not there (django-ninja says so only with DEBUG on)."""
    return api.create_response(request, {"detail": str(missing) or _("Not Found")}, status=404)


# What a CSV download's operation answers, for its schema: the file, or no such thing.
CSV = {
    "responses": {
        200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
        404: {
            "description": "Not Found",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        },
    }
}

# Questionnaire models' names in the API's paths.
NAMES = {"consultation": "consultation", "survey": "employer-survey"}
MAX_OFFSET = 1_000_000


class Page(PaginationBase):
    """``limit`` (1–100, default 50) items from ``offset``, with the total ``count``."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=100)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    class Output(Schema):
        count: int
        limit: int
        offset: int
        items: list

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, pagination.limit
        return {
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
            "items": queryset[offset : offset + limit],
        }


def _url(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _activity(request, a) -> dict:
    return exports.activity_data(a, _url(request, a.get_absolute_url()))


@api.get(
    "/activities",
    response={200: list[schemas.ActivityOut], 422: schemas.InvalidOut},
    tags=["roadmap"],
)
@paginate(Page)
def activities(request):
    """The public roadmap's activities, in date order."""
    return [_activity(request, a) for a in roadmap.public_activities()]


@api.get(
    "/activities/{slug}",
    response={200: schemas.ActivityOut, 404: schemas.ErrorOut},
    tags=["roadmap"],
)
def activity(request, slug: str):
    """One public roadmap activity."""
    found = roadmap.public_activities().filter(slug=slug).first()
    if found is None:
        raise Http404(_("No public roadmap activity has this address."))
    return _activity(request, found)


@api.get("/activities.csv", tags=["roadmap"], openapi_extra=CSV)
def activities_csv(request):
    """The public roadmap's activities as CSV."""
    rows = [_activity(request, a) for a in roadmap.public_activities()]
    columns = ["slug", "title", "kind", "workstream", "starts", "ends", "dates", "status", "url"]
    return csv_download(
        [columns, *([row[c] or "" for c in columns] for row in rows)], "roadmap-activities.csv"
    )


def _recommendation(request, r) -> dict:
    progress = selectors.progress_of(r)
    return {
        "number": r.number,
        "slug": r.slug,
        "title": r.title,
        "text": r.text,
        "owner": r.owner,
        "status": r.status,
        "status_label": r.get_status_display(),
        "status_reason": r.status_reason,
        "target": dates.iso(r.target_on, r.target_precision) if r.target_on else None,
        "target_precision": r.target_precision if r.target_on else None,
        "progress_done": progress.done,
        "progress_total": progress.total,
        "example": r.is_example,
        "url": _url(request, r.get_absolute_url()),
    }


class RecommendationFilter(Schema):
    status: Status | None = None


@api.get(
    "/recommendations",
    response={200: list[schemas.RecommendationOut], 422: schemas.InvalidOut},
    tags=["recommendations"],
)
@paginate(Page)
def recommendations(request, filters: Query[RecommendationFilter]):
    """Published recommendations by number, with their status and progress."""
    return [
        _recommendation(request, r)
        for r in selectors.recommendation_list(status=filters.status or "")
    ]


@api.get("/recommendations.csv", tags=["recommendations"], openapi_extra=CSV)
def recommendations_csv(request):
    """Published recommendations as CSV."""
    rows = [_recommendation(request, r) for r in selectors.recommendation_list()]
    columns = [
        "number", "title", "owner", "status", "status_reason", "target",
        "progress_done", "progress_total", "example", "url",
    ]  # fmt: skip
    return csv_download(
        [columns, *([row[c] if row[c] is not None else "" for c in columns] for row in rows)],
        "recommendations.csv",
    )


def _figure(figure: Figure, threshold: int) -> dict:
    shown = in_words(figure, threshold)
    if withheld_as(figure, threshold) is not None:
        return {"count": None, "percent": None, "shown": shown}
    return {"count": figure.count, "percent": figure.shown_percent, "shown": shown}


def _evidence(request, item) -> dict:
    """An evidence row of ``selectors.RecommendationPage``: a figure (an EvidenceItem, with
    the figure read from its release and its checked quotes), an activity or a document."""
    is_figure = isinstance(item, selectors.EvidenceItem)
    evidence = item.evidence if is_figure else item
    figure = item.figure if is_figure else None
    return {
        "kind": evidence.kind,
        "label": str(evidence),
        "note": evidence.note,
        "figure": _figure(figure.figure, figure.threshold) if figure else None,
        "release": evidence.release.number if evidence.kind == EvidenceKind.FIGURE else None,
        "findings_url": _url(request, figure.findings_url) if figure else None,
        "activity": evidence.activity.slug if evidence.activity_id else None,
        "document_url": _url(request, evidence.document.get_absolute_url())
        if evidence.document_id
        else None,
        "quotes": [q.text for q in item.quotes] if is_figure else [],
    }


@api.get(
    "/recommendations/{slug}",
    response={200: schemas.RecommendationDetailOut, 404: schemas.ErrorOut},
    tags=["recommendations"],
)
def recommendation(request, slug: str):
    """A published recommendation with its evidence (figures as published, checked quotes
    only), the activities that deliver it, and its updates."""
    try:
        page = selectors.recommendation_page(slug=slug)
    except Recommendation.DoesNotExist as missing:
        raise Http404(_("No published recommendation has this address.")) from missing
    return {
        **_recommendation(request, page.recommendation),
        "evidence": [
            _evidence(request, e) for e in [*page.figures, *page.activities, *page.documents]
        ],
        "withheld_figures": page.withheld,
        "actions": [
            {
                "activity": a.activity.slug,
                "activity_title": a.activity.title,
                "status": a.activity.status,
                "note": a.note,
            }
            for a in page.actions
        ],
        "updates": [
            {
                "date": u.written_on,
                "text": u.text,
                "status_from": u.status_from or None,
                "status_to": u.status_to or None,
            }
            for u in page.updates
        ],
    }


def _public_findings():
    """(name, questionnaire, release) of each questionnaire whose findings are public now,
    in the order they opened; without the releases' tables, read only where shown."""
    found = [
        (NAMES[release.questionnaire_type.model], release.questionnaire, release)
        for release in current_releases(tables=False)
        if figures.is_public(release)
    ]
    return sorted(found, key=lambda item: item[1].opens_at)


def _findings(request, name, questionnaire, release) -> dict:
    url = reverse(figures.FINDINGS_URL[release.questionnaire_type.model], args=[questionnaire.slug])
    return {
        "questionnaire": name,
        "slug": questionnaire.slug,
        "title": questionnaire.title,
        "release": release.number,
        "published_at": release.published_at,
        "summary": release.summary,
        "threshold": release.audit.get("threshold", 0),
        "url": _url(request, url),
    }


@api.get(
    "/findings",
    response={200: list[schemas.FindingsOut], 422: schemas.InvalidOut},
    tags=["findings"],
)
@paginate(Page)
def findings(request):
    """Each consultation and employer survey whose findings are published, with its
    current release."""
    return [_findings(request, *found) for found in _public_findings()]


def _tables(release) -> list[dict]:
    threshold = release.audit.get("threshold", 0)
    model = release.questionnaire_type.model
    tables = []
    for name, data in release.tables.items():
        question, dimension = name.split(SEPARATOR)
        words = str(figures.QUESTIONS.get((model, question), question))
        if data.get("kind") == "ranking":
            # A ranking publishes each item's points and top-five count, in order of points;
            # how many ranked it at each position is kept for the audit and never published.
            columns = [_("points")]
            rows = [
                {
                    "key": str(item["key"]),
                    "label": item["label"],
                    "total": _figure(Figure(**item["in_top"]), threshold),
                    "cells": [_figure(Figure(**item["points"]), threshold)],
                }
                for item in data["items"]
            ]
        else:
            columns = [label for _key, label in data["columns"]]
            rows = [
                {
                    "key": str(row["key"]),
                    "label": row["label"],
                    "total": _figure(Figure(**row["total"]), threshold),
                    "cells": [_figure(Figure(**c), threshold) for c in row["cells"]],
                }
                for row in data["rows"]
            ]
        tables.append(
            {
                "name": name,
                "question": words,
                "dimension": dimension,
                "columns": columns,
                "respondents": _figure(Figure(**data["respondents"]), threshold),
                "rows": rows,
            }
        )
    return tables


def _one_findings(questionnaire: str, slug: str):
    for found in _public_findings():
        if found[0] == questionnaire and found[1].slug == slug:
            return found
    raise Http404(_("No published findings have this address."))


@api.get("/findings/{questionnaire}/{slug}.csv", tags=["findings"], openapi_extra=CSV)
def findings_csv(request, questionnaire: str, slug: str):
    """A questionnaire's current release as CSV: one line per published figure."""
    _name, found, release = _one_findings(questionnaire, slug)
    header = ["table", "question", "dimension", "row", "column", "count", "percent", "shown"]
    lines = [header]
    for table in _tables(release):
        for row in table["rows"]:
            cells = zip(table["columns"], row["cells"], strict=True)
            for column, figure in [(_("all"), row["total"]), *cells]:
                lines.append(
                    [
                        table["name"],
                        table["question"],
                        table["dimension"],
                        row["label"],
                        column,
                        "" if figure["count"] is None else figure["count"],
                        "" if figure["percent"] is None else figure["percent"],
                        figure["shown"],
                    ]
                )
    return csv_download(lines, f"{found.slug}-release-{release.number}.csv")


@api.get(
    "/findings/{questionnaire}/{slug}",
    response={200: schemas.FindingsDetailOut, 404: schemas.ErrorOut},
    tags=["findings"],
)
@kept_pages.whole
def findings_detail(request, questionnaire: str, slug: str):
    """A questionnaire's current release: every published table, as it was published."""
    name, found, release = _one_findings(questionnaire, slug)
    findings = _findings(request, name, found, release)
    # A release is frozen: its document is written (and checked against the schema) once
    # per web process and kept, under a key naming all else it shows.
    key = (
        "opendata:findings:"
        + hashlib.sha256(
            json.dumps([release.pk, get_language(), findings], default=str).encode()
        ).hexdigest()
    )

    def write():
        document = schemas.FindingsDetailOut(**findings, tables=_tables(release))
        return document.model_dump_json(), None

    return HttpResponse(kept_pages.fragment(key, write), content_type="application/json")


def _events(request) -> list[dict]:
    meetings = [
        {
            "title": m.title,
            "kind": "advisory_meeting",
            "starts": m.starts_at.isoformat(),
            "ends": m.ends_at.isoformat(),
            "cancelled": m.is_cancelled,
            "url": _url(request, m.get_absolute_url()),
            "_when": m.starts_at.date(),
        }
        for m in AdvisoryMeeting.objects.all()
    ]
    activities = [
        {
            "title": a.title,
            "kind": a.kind,
            "starts": dates.iso(a.starts_on, a.starts_precision),
            "ends": dates.iso(a.ends_on, a.ends_precision) if a.ends_on else None,
            "cancelled": False,
            "url": _url(request, a.get_absolute_url()),
            "_when": a.starts_on,
        }
        for a in roadmap.public_activities()
        .filter(kind__in=EVENT_KINDS)
        .exclude(kind="advisory_meeting", meetings__isnull=False)
    ]
    found = sorted([*meetings, *activities], key=lambda e: e["_when"])
    for event in found:
        del event["_when"]
    return found


@api.get(
    "/events", response={200: list[schemas.EventOut], 422: schemas.InvalidOut}, tags=["events"]
)
@paginate(Page)
def events(request):
    """The programme's public events: advisory group meetings and the roadmap's events,
    showcases and roundtables, in date order."""
    return _events(request)


@api.get("/events.csv", tags=["events"], openapi_extra=CSV)
def events_csv(request):
    """The programme's public events as CSV."""
    columns = ["title", "kind", "starts", "ends", "cancelled", "url"]
    rows = _events(request)
    return csv_download(
        [columns, *(["" if e[c] is None else e[c] for c in columns] for e in rows)], "events.csv"
    )


@api.post(
    "/job-advert-check",
    response={200: schemas.AdvertReportOut, 422: schemas.InvalidOut},
    tags=["job adverts"],
)
def job_advert_check(request, advert: schemas.AdvertIn):
    """The job advert checker's report on an advert sent as JSON ``{"text": "..."}`` (not
    only spaces, and no longer than the page takes): gender-coded words, plain English,
    requirements, pay and ways of working, each finding with why, what to write instead and
    its source. Nothing sent is stored or logged."""
    return adverts.check(advert.text).as_dict()
