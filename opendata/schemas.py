"""The shapes of the open data API's responses (its OpenAPI schema is made from them)."""

import datetime

from ninja import Schema


class ActivityOut(Schema):
    slug: str
    title: str
    kind: str
    workstream: str
    description: str
    starts: str
    starts_precision: str
    ends: str | None
    ends_precision: str | None
    dates: str
    status: str
    deliverables: list[str]
    partners: list[str]
    url: str


class ActionOut(Schema):
    activity: str
    activity_title: str
    status: str
    note: str


class RecommendationOut(Schema):
    number: int
    slug: str
    title: str
    text: str
    owner: str
    status: str
    status_label: str
    status_reason: str
    target: str | None
    target_precision: str | None
    progress_done: int
    progress_total: int
    example: bool
    url: str


class FigureOut(Schema):
    """A published figure: ``count`` and ``percent`` are null where the release does not
    publish them (a count too small to show, or hidden to protect one); ``shown`` is the
    figure in the findings page's words."""

    count: int | None
    percent: float | None
    shown: str


class EvidenceOut(Schema):
    kind: str
    label: str
    note: str
    figure: FigureOut | None
    release: int | None
    findings_url: str | None
    activity: str | None
    document_url: str | None
    quotes: list[str]


class UpdateOut(Schema):
    date: datetime.date
    text: str
    status_from: str | None
    status_to: str | None


class RecommendationDetailOut(RecommendationOut):
    """A recommendation with its evidence: ``withheld_figures`` counts figures left out
    while the findings they come from are not published (withdrawn, or reopened)."""

    evidence: list[EvidenceOut]
    withheld_figures: int
    actions: list[ActionOut]
    updates: list[UpdateOut]


class FindingsOut(Schema):
    questionnaire: str
    slug: str
    title: str
    release: int
    published_at: datetime.datetime
    summary: str
    threshold: int
    url: str


class RowOut(Schema):
    key: str
    label: str
    total: FigureOut
    cells: list[FigureOut]


class TableOut(Schema):
    name: str
    question: str
    dimension: str
    columns: list[str]
    respondents: FigureOut
    rows: list[RowOut]


class FindingsDetailOut(FindingsOut):
    tables: list[TableOut]


class EventOut(Schema):
    title: str
    kind: str
    starts: str
    ends: str | None
    cancelled: bool
    url: str


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    """A query the API cannot read (a limit over 100, an unknown status…): what is wrong
    with each parameter."""

    detail: list[dict]
