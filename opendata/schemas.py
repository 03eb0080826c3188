"""The shapes of the open data API's responses (its OpenAPI schema is made from them)."""

import datetime

from ninja import Field, Schema

from employers.adverts import MAX_LENGTH


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


class AdvertIn(Schema):
    """A job advert to check, as plain text; nothing sent is stored."""

    text: str = Field(..., min_length=1, max_length=MAX_LENGTH, pattern=r"\S")


class SourceOut(Schema):
    title: str
    url: str


class AdvertFindingOut(Schema):
    """Something in the advert to review (or, for an offer, whether it is made: ``found``),
    why it matters, what to write instead, and the source of the advice."""

    code: str
    title: str
    why: str
    instead: str
    source: SourceOut
    quotes: list[str]
    found: bool


class CodedNameOut(Schema):
    name: str
    words: list[str]


class AlternativeOut(Schema):
    word: str
    count: int
    instead: str


class GenderOut(Schema):
    """Gender-coded words: ``verdict`` is neutral, slightly_masculine, strongly_masculine,
    slightly_feminine or strongly_feminine; words in titles or names are not counted."""

    verdict: str
    masculine: list[str]
    feminine: list[str]
    in_titles_or_names: list[CodedNameOut]
    alternatives: list[AlternativeOut]
    source: SourceOut


class PlainEnglishOut(Schema):
    """Reading age (Flesch–Kincaid grade plus five; null under 30 words) and findings."""

    words: int
    reading_age: float | None
    reading_age_aim: int
    findings: list[AdvertFindingOut]


class AdvertReportOut(Schema):
    """The job advert checker's report: a result per area, never one score."""

    gender: GenderOut
    plain_english: PlainEnglishOut
    requirements: list[AdvertFindingOut]
    offers: list[AdvertFindingOut]
