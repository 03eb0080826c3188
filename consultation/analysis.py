"""The consultation's figures, computed in SQL: totals over time, answers by community
group, and theme counts. Every function makes a fixed number of queries, however many
responses there are."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from reporting.breakdowns import Breakdown, build_breakdown

from .languages import ENGLISH, Texts
from .models import (
    AgeBand,
    Consultation,
    Disability,
    EthnicGroup,
    EthnicHeading,
    OptionKind,
    Response,
    ResponseOption,
    ResponseTheme,
    Sex,
    Version,
    Ward,
    portal_languages,
)

NOT_ANSWERED = ("", _("Not answered"))


@dataclass(frozen=True)
class Dimension:
    """A way of grouping residents for the breakdowns."""

    key: str
    label: str

    def expression(self, prefix: str = ""):
        """The SQL expression giving each response's group, from a model ``prefix`` away."""
        if self.key == "ethnic_heading":
            group = F(f"{prefix}ethnic_group")
            return Case(
                *(
                    When(
                        **{f"{prefix}ethnic_group__startswith": f"{heading}_"}, then=Value(heading)
                    )
                    for heading in EthnicHeading.values
                    if heading != EthnicHeading.PREFER_NOT_TO_SAY
                ),
                default=group,
                output_field=CharField(),
            )
        if self.key == "area":
            return Coalesce(
                Cast(f"{prefix}ward_id", CharField()), F(f"{prefix}area"), output_field=CharField()
            )
        return F(f"{prefix}{self.key}")

    def columns(self) -> list[tuple[str, str]]:
        if self.key == "area":
            wards = [(str(w.pk), w.name) for w in Ward.objects.order_by("position", "name")]
            return [
                *wards,
                ("outside", _("Outside the borough")),
                ("prefer_not", _("Prefer not to say")),
                NOT_ANSWERED,
            ]
        if self.key == "language":
            # Every response has a language and a version: there is no "not answered".
            return [*portal_languages()]
        if self.key == "version":
            return [*Version.choices]
        choices = {
            "ethnic_group": EthnicGroup.choices,
            "ethnic_heading": EthnicHeading.choices,
            "age_band": AgeBand.choices,
            "sex": Sex.choices,
            "disability": Disability.choices,
        }[self.key]
        return [*choices, NOT_ANSWERED]


DIMENSIONS = {
    d.key: d
    for d in (
        Dimension("ethnic_heading", _("Ethnic group (5 headings)")),
        Dimension("ethnic_group", _("Ethnic group (19 groups)")),
        Dimension("age_band", _("Age")),
        Dimension("sex", _("Sex")),
        Dimension("disability", _("Disability")),
        Dimension("area", _("Area")),
        Dimension("language", _("Language answered in")),
        Dimension("version", _("Version answered (standard or Easy Read)")),
    )
}

# What may be published (the findings page, the aggregate CSV): every breakdown but the 19
# ethnic groups. The groups nest inside the 5 headings, so each heading's count is the sum
# of its groups' counts. Suppressing each level on its own then fails: with African 7,
# Caribbean 2, Any other Black 9 and Irish 6, the groups show Caribbean as "fewer than 5"
# (and Irish hidden beside it), yet the headings show Black 18 and White 6, so Caribbean is
# 18 - 7 - 9 and Irish is 6. Making the two levels consistent would mean suppressing them
# together across every answer row, and hiding so much that the finer level shows little a
# borough-sized consultation can use. Publishing one level, the headings, cannot be
# worked back by any subtraction between levels. No other pair of breakdowns nests, and
# staff still see the 19 groups, unsuppressed, on the results page.
#
# The language and version a resident answered in are for staff too: they tell them whom
# the consultation reached, but a language few residents speak, or Easy Read, would single
# out its handful of residents.
PUBLIC_DIMENSIONS = {
    key: d for key, d in DIMENSIONS.items() if key not in ("ethnic_group", "language", "version")
}


def dimension_for(key: str, dimensions: dict[str, Dimension] = DIMENSIONS) -> Dimension:
    """The breakdown asked for, if it is one of ``dimensions``; otherwise ethnic headings."""
    return dimensions.get(key, dimensions["ethnic_heading"])


def _group_sizes(consultation: Consultation, dimension: Dimension) -> dict[str, int]:
    rows = (
        Response.objects.filter(consultation=consultation)
        .annotate(group=dimension.expression())
        .values("group")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["group"] or "": row["n"] for row in rows}


def _option_counts(consultation: Consultation, dimension: Dimension) -> dict:
    """(option id, group) -> residents who ticked it, for every question at once."""
    rows = (
        ResponseOption.objects.filter(response__consultation=consultation)
        .annotate(group=dimension.expression("response__"))
        .values("option_id", "group")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["option_id"], row["group"] or ""): row["n"] for row in rows}


def _theme_counts(consultation: Consultation, dimension: Dimension) -> dict:
    rows = (
        ResponseTheme.objects.filter(response__consultation=consultation)
        .annotate(group=dimension.expression("response__"))
        .values("theme_id", "group")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["theme_id"], row["group"] or ""): row["n"] for row in rows}


def _over_time(consultation: Consultation) -> tuple[list[tuple[datetime.date, int]], str]:
    """Responses per day, or per week for a consultation open longer than eight weeks."""
    weekly = consultation.closes_at - consultation.opens_at > datetime.timedelta(weeks=8)
    trunc = TruncWeek if weekly else TruncDate
    rows = (
        Response.objects.filter(consultation=consultation)
        .annotate(period=trunc("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("period")
        .annotate(n=Count("id"))
        .order_by("period")
    )
    return [(_as_date(row["period"]), row["n"]) for row in rows], "week" if weekly else "day"


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _summary(consultation: Consultation) -> dict:
    has_text = ~Q(comments="") | ~Q(barriers_other="") | ~Q(changes_other="") | ~Q(support_other="")
    return Response.objects.filter(consultation=consultation).aggregate(
        online=Count("id", filter=Q(channel="online")),
        paper=Count("id", filter=Q(channel="paper")),
        event=Count("id", filter=Q(channel="event")),
        coded=Count("id", filter=Q(coded_at__isnull=False)),
        to_code=Count("id", filter=Q(coded_at__isnull=True) & has_text),
    )


def _counts(consultation: Consultation, dimension: Dimension) -> dict:
    """The expensive counts, cached under the consultation's figures version, which every
    change to the answers or their codes bumps in the same transaction: the figures shown
    are never stale."""
    key = f"consultation-figures:{consultation.pk}:{dimension.key}:{consultation.figures_version}"
    counts = cache.get(key)
    if counts is None:
        over_time, period = _over_time(consultation)
        counts = {
            "summary": _summary(consultation),
            "sizes": _group_sizes(consultation, dimension),
            "options": _option_counts(consultation, dimension),
            "themes": _theme_counts(consultation, dimension),
            "over_time": over_time,
            "period": period,
        }
        cache.set(key, counts, timeout=settings.FIGURES_CACHE_SECONDS)
    return counts


@dataclass
class Results:
    total: int
    by_channel: dict[str, int]
    over_time: list[tuple[datetime.date, int]]
    period: str
    dimension: Dimension
    barriers: Breakdown
    changes: Breakdown
    support: Breakdown
    themes: Breakdown
    coded: int
    to_code: int

    @property
    def over_time_items(self):
        """The time series in the shape ``bar_chart`` draws."""
        return [
            (date_format(day, "j M Y"), n, round(100 * n / self.total, 1), False)
            for day, n in self.over_time
        ]


def results(consultation: Consultation, dimension: Dimension) -> Results:
    """Everything the results and findings pages show, in a fixed number of queries:
    one each for the answer lists, themes and groups, and on a cache miss six more for the
    counts, however many responses there are."""
    counts = _counts(consultation, dimension)
    summary = counts["summary"]
    columns = dimension.columns()
    options = list(consultation.options.all())

    def breakdown(rows, cell_counts):
        return build_breakdown(
            rows=rows, columns=columns, counts=cell_counts, group_sizes=counts["sizes"]
        )

    def option_rows(kind):
        return [(o.pk, o.label) for o in options if o.kind == kind]

    return Results(
        total=sum(summary[k] for k in ("online", "paper", "event")),
        by_channel={k: summary[k] for k in ("online", "paper", "event")},
        over_time=counts["over_time"],
        period=counts["period"],
        dimension=dimension,
        barriers=breakdown(option_rows(OptionKind.BARRIER), counts["options"]),
        changes=breakdown(option_rows(OptionKind.CHANGE), counts["options"]),
        support=breakdown(option_rows(OptionKind.SUPPORT), counts["options"]),
        themes=breakdown(
            [(t.pk, t.name) for t in consultation.themes.order_by("name")], counts["themes"]
        ),
        coded=summary["coded"],
        to_code=summary["to_code"],
    )


QUESTIONS = ("barriers", "changes", "support", "themes")


def publishable_tables(consultation: Consultation) -> dict[tuple[str, str], Breakdown]:
    """Every breakdown the findings publish, unsuppressed: each question by each public
    dimension, for disclosure control to protect together. Counted as the database has
    them now (the instance may predate the latest answers, and its cache key with it)."""
    consultation.refresh_from_db(fields=["figures_version"])
    tables = {}
    for key, dimension in PUBLIC_DIMENSIONS.items():
        figures = results(consultation, dimension)
        for question in QUESTIONS:
            tables[(question, key)] = getattr(figures, question)
    return tables


@dataclass
class Published:
    """One dimension's tables of a release, in the shape the findings page reads."""

    dimension: Dimension
    barriers: Breakdown
    changes: Breakdown
    support: Breakdown
    themes: Breakdown


def published(
    tables: dict[tuple[str, str], Breakdown], dimension: Dimension, texts: Texts = ENGLISH
) -> Published:
    """One dimension's tables of a release, each answer option named in the language of
    ``texts`` (the release keeps its English; themes are staff's own codes, in English)."""

    def named(breakdown: Breakdown) -> Breakdown:
        rows = [
            dataclasses.replace(row, label=texts.option(row.key, row.label))
            for row in breakdown.rows
        ]
        return dataclasses.replace(breakdown, rows=rows)

    return Published(
        dimension,
        *(
            named(tables[(q, dimension.key)]) if q != "themes" else tables[(q, dimension.key)]
            for q in QUESTIONS
        ),
    )
