"""CSV exports, as rows for ``reporting.csvfiles``, each with its data dictionary built
from the same columns. The exports stream: the first bytes leave at once and memory stays
flat.

The staff export makes a fixed number of queries however many responses there are: the
answer lists, themes and wards once, then the responses, their ticked answers and their
themes each read once, in response order, through server-side cursors, and merged as they
stream.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.breakdowns import Breakdown, shown_count
from reporting.csvfiles import (
    COUNT,
    DATETIME,
    PERCENT,
    TEXT,
    Code,
    Column,
    coded,
    codes_of,
    csv_download,
    dictionary_rows,
    labelled,
    table_rows,
)
from reporting.releases import release_tables

from . import analysis
from .models import (
    AgeBand,
    Caring,
    Channel,
    Consultation,
    Disability,
    Employment,
    EthnicGroup,
    Interest,
    Option,
    OptionKind,
    Response,
    ResponseOption,
    ResponseTheme,
    Sex,
    YesNo,
)

CHUNK = 2000

# The fields of a response the export reads, besides its ticked answers and themes.
RESPONSE_FIELDS = (
    "pk",
    "reference",
    "submitted_at",
    "channel",
    "channel_detail",
    "barriers_other",
    "changes_other",
    "support_other",
    "interest",
    "comments",
    "age_band",
    "sex",
    "gender_same_as_birth",
    "ethnic_group",
    "disability",
    "caring",
    "employment",
    "area",
    "ward_id",
)


def _field(name):
    return lambda record: record[name]


def _text(name: str, description: str) -> Column:
    return Column(name, description, TEXT, _field(name))


def _choice(name: str, description: str, choices, *, blank=True) -> list[Column]:
    return coded(name, description, codes_of(choices), _field(name), blank=blank)


def _submitted_at(record) -> str:
    london = timezone.get_current_timezone()
    return record["submitted_at"].astimezone(london).isoformat(timespec="minutes")


def _area(record) -> str:
    # Coded as the breakdowns by area code it: the ward, or where else the resident said.
    return str(record["ward_id"]) if record["ward_id"] else record["area"]


def answer_columns(consultation: Consultation) -> list[Column]:
    """The columns of the answers export, with every code each coded answer may hold
    (3 queries: the answer lists, the themes and the wards)."""
    options = list(Option.objects.filter(consultation=consultation))

    def ticked(name, kind, description) -> list[Column]:
        codes = [Code(str(o.pk), o.label) for o in options if o.kind == kind]
        return coded(name, description, codes, _field(name), many=True)

    themes = codes_of(consultation.themes.order_by("name").values_list("pk", "name"))
    areas = [code for code in codes_of(analysis.DIMENSIONS["area"].columns()) if code.code]
    return [
        _text("reference", _("The response's reference, as the resident was given it")),
        Column("submitted_at", _("When the response was given"), DATETIME, _submitted_at),
        *_choice("channel", _("How the response was given"), Channel.choices, blank=False),
        _text("channel_detail", _("For responses gathered at an event: which one")),
        *ticked("barriers", OptionKind.BARRIER, _("Barriers ticked")),
        _text("barriers_other", _("Other barriers, in the resident's words")),
        *ticked("changes", OptionKind.CHANGE, _("Changes asked for, ticked")),
        _text("changes_other", _("Other changes asked for, in the resident's words")),
        *ticked("support", OptionKind.SUPPORT, _("Support that would help, ticked")),
        _text("support_other", _("Other support that would help, in the resident's words")),
        *_choice("interest", _("Interest in a job in digital tech"), Interest.choices),
        _text("comments", _("Anything else the resident told the commission")),
        *coded(
            "themes",
            _("Themes staff coded the free text with"),
            themes,
            _field("themes"),
            many=True,
        ),
        *_choice("age_band", _("Age band"), AgeBand.choices),
        *_choice("sex", _("Sex"), Sex.choices),
        *_choice(
            "gender_same_as_birth",
            _("Whether gender identity is the same as sex registered at birth"),
            YesNo.choices,
        ),
        *_choice("ethnic_group", _("Ethnic group (2021 Census, 19 groups)"), EthnicGroup.choices),
        *_choice("disability", _("Disability"), Disability.choices),
        *_choice("caring", _("Caring responsibilities"), Caring.choices),
        *_choice("employment", _("Employment status"), Employment.choices),
        *coded("area", _("Where the resident lives: a ward, or elsewhere"), areas, _area),
    ]


# Which record key holds the codes ticked for each list.
TICKED = {
    OptionKind.BARRIER: "barriers",
    OptionKind.CHANGE: "changes",
    OptionKind.SUPPORT: "support",
}


def _grouped(rows: Iterator[tuple]):
    """(response id, *values) rows sorted by response id -> iterator of (id, [values])."""
    for response_id, items in groupby(rows, key=lambda row: row[0]):
        yield response_id, [row[1:] if len(row) > 2 else row[1] for row in items]


def _answer_records(consultation: Consultation) -> Iterator[dict]:
    """Each response's fields with the codes of its ticked answers, list by list in the
    questionnaire's order, and of its themes (3 queries, through server-side cursors)."""
    responses = (
        Response.objects.filter(consultation=consultation)
        .order_by("pk")
        .values(*RESPONSE_FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    ticked = _grouped(
        ResponseOption.objects.filter(response__consultation=consultation)
        .order_by("response_id", "option__kind", "option__position", "option_id")
        .values_list("response_id", "option__kind", "option_id")
        .iterator(chunk_size=CHUNK)
    )
    themed = _grouped(
        ResponseTheme.objects.filter(response__consultation=consultation)
        .order_by("response_id", "theme__name")
        .values_list("response_id", "theme_id")
        .iterator(chunk_size=CHUNK)
    )
    next_ticked, next_themed = next(ticked, None), next(themed, None)
    for record in responses:
        for name in TICKED.values():
            record[name] = []
        record["themes"] = []
        if next_ticked and next_ticked[0] == record["pk"]:
            for kind, option_id in next_ticked[1]:
                record[TICKED[kind]].append(option_id)
            next_ticked = next(ticked, None)
        if next_themed and next_themed[0] == record["pk"]:
            record["themes"] = next_themed[1]
            next_themed = next(themed, None)
        yield record


def answers_csv(consultation: Consultation) -> Iterator[list]:
    """Every response with its answers and themes: one row each, each coded answer as its
    label and its code (6 queries in all)."""
    yield from table_rows(answer_columns(consultation), _answer_records(consultation))


def answers_dictionary(consultation: Consultation) -> Iterator[list]:
    """The data dictionary of ``answers_csv``: its columns and every code (3 queries)."""
    yield from dictionary_rows(answer_columns(consultation))


@dataclass(frozen=True)
class PublishedFigure:
    """One row of the aggregate export: a published count, and what it counts."""

    question: tuple[str, str]  # (code, label), and the same for the rest
    answer: tuple[str, str]
    grouped_by: tuple[str, str]
    group: tuple[str, str]
    count: object
    percent: object


def _pair(name, description, codes, attribute, *, code_name=""):
    return labelled(
        name,
        description,
        codes,
        lambda figure: getattr(figure, attribute)[1],
        lambda figure: getattr(figure, attribute)[0],
        code_name=code_name,
    )


def _questions() -> list[tuple[str, str]]:
    return [
        ("barriers", _("Barriers")),
        ("changes", _("Changes asked for")),
        ("support", _("Support that would help")),
        ("themes", _("Themes in free text")),
    ]


def _respondents() -> tuple[str, str]:
    return ("respondents", _("Respondents"))


def _everyone() -> tuple[str, str]:
    return ("all", _("All respondents"))


def _published(release, dimension) -> list[tuple[tuple[str, str], Breakdown]]:
    figures = analysis.published(release_tables(release), dimension)
    return [(question, getattr(figures, question[0])) for question in _questions()]


def _aggregate_columns(release, dimension, published) -> list[Column]:
    answers = [
        Code(str(row.key), str(row.label), label)
        for (_code, label), breakdown in published
        for row in breakdown.rows
    ]
    groups = list(
        dict.fromkeys(
            Code(str(key), str(label))
            for _question, breakdown in published
            for key, label in breakdown.columns
        )
    )
    return [
        *_pair(
            "question",
            _("The question counted, or the number of respondents"),
            codes_of([*_questions(), _respondents()]),
            "question",
        ),
        *_pair(
            "answer",
            _(
                "The answer counted, blank for the number of respondents (a code is unique "
                "within its question)"
            ),
            answers,
            "answer",
        ),
        *_pair(
            "grouped by",
            _("Everyone, or the way respondents are grouped"),
            codes_of([_everyone(), (dimension.key, dimension.label)]),
            "grouped_by",
            code_name="grouped_by_code",
        ),
        *_pair(
            "group",
            _(
                "The group counted, blank for everyone (the group of those who did not "
                "answer has a label and a blank code)"
            ),
            groups,
            "group",
        ),
        Column(
            "count",
            _(
                "How many, as published: a number, “fewer than %(n)s” where too few to "
                "show, or “hidden” where it would give a small count away"
            )
            % {"n": release.audit["threshold"]},
            COUNT,
            lambda figure: figure.count,
        ),
        Column(
            "percent of group",
            _("The count as a percentage of its group (blank where not published)"),
            PERCENT,
            lambda figure: figure.percent,
        ),
    ]


def _breakdown_figures(question, dimension, breakdown: Breakdown, threshold: int):
    def shown(figure):
        return shown_count(figure, threshold)

    def percent(figure):
        value = figure.shown_percent
        return "" if value is None else value

    grouped_by = (dimension.key, str(dimension.label))
    for row in breakdown.rows:
        answer = (str(row.key), str(row.label))
        yield PublishedFigure(
            question, answer, _everyone(), ("", ""), shown(row.total), percent(row.total)
        )
        for (key, label), cell in zip(breakdown.columns, row.cells, strict=True):
            yield PublishedFigure(
                question, answer, grouped_by, (str(key), str(label)), shown(cell), percent(cell)
            )


def _aggregate_figures(release, dimension, published) -> Iterator[PublishedFigure]:
    threshold = release.audit["threshold"]
    for question, breakdown in published:
        yield from _breakdown_figures(question, dimension, breakdown, threshold)
    sizes = published[0][1]
    no_answer = ("", "")
    yield PublishedFigure(
        _respondents(),
        no_answer,
        _everyone(),
        ("", ""),
        shown_count(sizes.respondents, threshold),
        "",
    )
    grouped_by = (dimension.key, str(dimension.label))
    for (key, label), size in zip(sizes.columns, sizes.group_sizes, strict=True):
        yield PublishedFigure(
            _respondents(),
            no_answer,
            grouped_by,
            (str(key), str(label)),
            shown_count(size, threshold),
            "",
        )


def aggregate_csv(release, dimension) -> Iterator[list]:
    """A release's published figures by one dimension: counts and percentages by group,
    suppressed as the release was, each question, answer and group as its label and its
    code."""
    published = _published(release, dimension)
    yield from table_rows(
        _aggregate_columns(release, dimension, published),
        _aggregate_figures(release, dimension, published),
    )


def aggregate_columns(release, dimension) -> list[Column]:
    """The columns of ``aggregate_csv`` of ``release`` by ``dimension``, with the codes of
    its questions, answers and groups as the release has them."""
    return _aggregate_columns(release, dimension, _published(release, dimension))


def aggregate_dictionary(release, dimension) -> Iterator[list]:
    """The data dictionary of ``aggregate_csv``: its columns and every code."""
    yield from dictionary_rows(aggregate_columns(release, dimension))


def aggregate_download(consultation: Consultation, release, by: str, *, dictionary=False):
    """The download of ``release``'s figures by the public grouping ``by`` (the first when
    unknown), or its data dictionary, named after the consultation, release and grouping."""
    dimension = analysis.dimension_for(by, analysis.PUBLIC_DIMENSIONS)
    name = f"{consultation.slug}-findings-release-{release.number}-by-{dimension.key}"
    if dictionary:
        return csv_download(aggregate_dictionary(release, dimension), f"{name}-dictionary.csv")
    return csv_download(aggregate_csv(release, dimension), f"{name}.csv")
