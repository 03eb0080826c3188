"""CSV exports of the employer survey, streamed, each with its data dictionary built from
the same columns (``reporting.csvfiles``)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reporting.breakdowns import shown_count
from reporting.csvfiles import (
    COUNT,
    DATETIME,
    NUMBER,
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

from . import selectors
from .models import (
    Apprenticeships,
    EmployerResponse,
    OptionKind,
    ResponseStatus,
    Sector,
    SizeBand,
    Survey,
)

OTHER_SKILL = "other"


def _text(name: str, description: str, value) -> Column:
    return Column(name, description, TEXT, value)


def _skill_columns(rank: int, codes: list[Code]) -> list[Column]:
    labels = {code.code: code.label for code in codes}

    def code_of(record) -> str:
        skill_id, other = record["ranks"].get(rank, (None, ""))
        if skill_id:
            return str(skill_id)
        return OTHER_SKILL if other else ""

    def label_of(record) -> str:
        skill_id, other = record["ranks"].get(rank, (None, ""))
        return labels.get(str(skill_id), "") if skill_id else other

    return labelled(
        f"skill_{rank}",
        _("The skill ranked %(rank)s in the top five for an entry-level role") % {"rank": rank},
        codes,
        label_of,
        code_of,
        blank=True,
    )


def response_columns(survey: Survey) -> list[Column]:
    """The columns of the responses export, with every code each coded answer may hold
    (2 queries: the answer lists and the skills list)."""
    options = list(survey.options.all())

    def ticked(name, kind, description) -> list[Column]:
        codes = [Code(str(o.pk), o.label) for o in options if o.kind == kind]
        return coded(name, description, codes, lambda record: record["options"][kind], many=True)

    skills = [
        *codes_of(survey.skills.values_list("pk", "name")),
        Code(OTHER_SKILL, _("Another skill, in the employer's words (the label column has them)")),
    ]
    return [
        _text("organisation", _("The organisation's name"), lambda r: r["response"].employer.name),
        *coded(
            "sector",
            _("The organisation's sector"),
            codes_of(Sector.choices),
            lambda r: r["response"].employer.sector,
            blank=False,
        ),
        *coded(
            "size",
            _("The organisation's size"),
            codes_of(SizeBand.choices),
            lambda r: r["response"].employer.size_band,
            blank=False,
        ),
        *coded(
            "in_borough",
            _("Whether the organisation is based in the borough"),
            codes_of([("yes", _("Yes")), ("no", _("No"))]),
            lambda r: "yes" if r["response"].employer.in_borough else "no",
            blank=False,
        ),
        Column(
            "submitted_at",
            _("When the response was submitted"),
            DATETIME,
            lambda r: r["response"].submitted_at.isoformat(timespec="minutes"),
        ),
        *ticked("barriers", OptionKind.BARRIER, _("Barriers to local recruitment, ticked")),
        _text(
            "barriers_other",
            _("Other barriers, in the employer's words"),
            lambda r: r["response"].barriers_other,
        ),
        *ticked("changes", OptionKind.CHANGE, _("Changes asked for, ticked")),
        _text(
            "changes_other",
            _("Other changes asked for, in the employer's words"),
            lambda r: r["response"].changes_other,
        ),
        *(
            column
            for rank in range(1, selectors.RANKED + 1)
            for column in _skill_columns(rank, skills)
        ),
        _text(
            "entry_level_roles",
            _("Entry-level roles the organisation offers, in its words"),
            lambda r: r["response"].entry_level_roles,
        ),
        *coded(
            "apprenticeships",
            _("Whether the organisation offers apprenticeships"),
            codes_of(Apprenticeships.choices),
            lambda r: r["response"].apprenticeships,
        ),
        *ticked("offers", OptionKind.OFFER, _("What the employer would offer, ticked")),
        _text(
            "offers_other",
            _("Other offers, in the employer's words"),
            lambda r: r["response"].offers_other,
        ),
        _text(
            "contact_name",
            _("The name of the person who answered"),
            lambda r: r["response"].contact_name,
        ),
    ]


def _response_records(survey: Survey) -> Iterator[dict]:
    """Each submitted response with the codes of its ticked answers, list by list in the
    survey's order, and its ranked skills (3 queries for each chunk of 500)."""
    responses = (
        EmployerResponse.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED)
        .select_related("employer")
        .prefetch_related("options", "ranks")
        .order_by("employer__name")
    )
    for response in responses.iterator(chunk_size=500):
        chosen = {kind: [] for kind in OptionKind.values}
        for option in response.options.all():
            chosen[option.kind].append(option.pk)
        ranks = {rank.rank: (rank.skill_id, rank.other) for rank in response.ranks.all()}
        yield {"response": response, "options": chosen, "ranks": ranks}


def responses_csv(survey: Survey) -> Iterator[list]:
    """Every submitted response with its organisation, answers and ranked skills, each
    coded answer as its label and its code."""
    yield from table_rows(response_columns(survey), _response_records(survey))


def responses_dictionary(survey: Survey) -> Iterator[list]:
    """The data dictionary of ``responses_csv``: its columns and every code (2 queries)."""
    yield from dictionary_rows(response_columns(survey))


@dataclass(frozen=True)
class PublishedFigure:
    """One row of the findings' answers section: a published count, and what it counts."""

    question: tuple[str, str]  # (code, label), and the same for answer and group
    answer: tuple[str, str]
    group: tuple[str, str]
    count: object
    percent: object


def _pair(name, description, codes, attribute):
    return labelled(
        name,
        description,
        codes,
        lambda item: getattr(item, attribute)[1],
        lambda item: getattr(item, attribute)[0],
    )


def _everyone() -> tuple[str, str]:
    return ("all", _("All"))


def _answer_tables(tables, by):
    """The release's tables by ``by``, with their question as (code, label)."""
    questions = dict(OptionKind.choices)
    return [
        ((kind, str(questions[kind])), table)
        for (kind, dimension), table in tables.items()
        if dimension == by
    ]


def _findings_columns(release, answer_tables, ranking) -> tuple[list[Column], list[Column]]:
    answers = [
        Code(str(row.key), str(row.label), label)
        for (_code, label), table in answer_tables
        for row in table.rows
    ]
    groups = list(
        dict.fromkeys(
            [
                Code(*_everyone()),
                *(
                    Code(str(k), str(label))
                    for _q, table in answer_tables
                    for k, label in table.columns
                ),
            ]
        )
    )
    threshold = release.audit["threshold"]
    withheld = {"n": threshold}
    count = (
        _(
            "How many, as published: a number, “fewer than %(n)s” where too few to show, or "
            "“hidden” where it would give a small count away"
        )
        % withheld
    )
    figures = [
        *_pair(
            "question",
            _("The question counted"),
            codes_of(question for question, _table in answer_tables),
            "question",
        ),
        *_pair(
            "answer",
            _("The answer counted (a code is unique within its question)"),
            answers,
            "answer",
        ),
        *_pair("group", _("The group of employers counted, or all of them"), groups, "group"),
        Column("count", count, COUNT, lambda figure: figure.count),
        Column(
            "percent of group",
            _("The count as a percentage of its group (blank where not published)"),
            PERCENT,
            lambda figure: figure.percent,
        ),
    ]
    skills = [Code(str(item.key), str(item.label)) for item in ranking.items] if ranking else []
    ranked = [
        *labelled(
            "skill",
            _("A listed skill, in the skills ranking (the section after the empty line)"),
            skills,
            lambda item: item[1].label,
            lambda item: str(item[1].key),
        ),
        Column(
            "rank",
            _("The skill's place in the ranking, by Borda points"),
            NUMBER,
            lambda item: item[0],
        ),
        Column(
            "Borda points",
            _(
                "The skill's Borda points (5 for each first place in a top five, down to 1 "
                "for a fifth), as published: a number, “fewer than %(n)s” where too few to "
                "show, or “hidden” where it would give a small count away"
            )
            % withheld,
            COUNT,
            lambda item: shown_count(item[1].points, threshold),
        ),
        Column(
            "in a top five",
            _(
                "How many employers put the skill in their top five, as published: a number, "
                "“fewer than %(n)s” where too few to show, or “hidden” where it would give a "
                "small count away"
            )
            % withheld,
            COUNT,
            lambda item: shown_count(item[1].in_top, threshold),
        ),
    ]
    return figures, ranked


def _answer_figures(answer_tables, threshold) -> Iterator[PublishedFigure]:
    for question, table in answer_tables:
        for row in table.rows:
            answer = (str(row.key), str(row.label))
            yield PublishedFigure(
                question,
                answer,
                _everyone(),
                shown_count(row.total, threshold),
                # As it has always been written: a row total of 0.0% is left blank too.
                row.total.shown_percent or "",
            )
            for (key, group), cell in zip(table.columns, row.cells, strict=True):
                yield PublishedFigure(
                    question,
                    answer,
                    (str(key), str(group)),
                    shown_count(cell, threshold),
                    "" if cell.shown_percent is None else cell.shown_percent,
                )


def findings_csv(release, by: str) -> Iterator[list]:
    """A release's published figures, in two sections with a header each, separated by an
    empty line: answers by sector or size band, then the skills ranking as published (no
    rows when too few employers answered). Each question, answer, group and skill is
    written as its label and its code."""
    tables = release_tables(release)
    answer_tables = _answer_tables(tables, by)
    ranking = tables.get(selectors.RANKING)
    figures, ranked = _findings_columns(release, answer_tables, ranking)
    yield from table_rows(figures, _answer_figures(answer_tables, release.audit["threshold"]))
    yield []
    yield from table_rows(ranked, enumerate(ranking.items if ranking else [], start=1))


def findings_columns(release, by: str) -> list[Column]:
    """The columns of ``findings_csv``: its answers section's, then its ranking's."""
    tables = release_tables(release)
    figures, ranked = _findings_columns(
        release, _answer_tables(tables, by), tables.get(selectors.RANKING)
    )
    return [*figures, *ranked]


def findings_dictionary(release, by: str) -> Iterator[list]:
    """The data dictionary of ``findings_csv``: the columns of both its sections."""
    yield from dictionary_rows(findings_columns(release, by))


def findings_download(survey: Survey, release, by: str, *, dictionary=False):
    """The download of ``release``'s figures by ``by`` (sector when unknown), or its data
    dictionary, named after the survey, release and grouping."""
    by = by if by in selectors.DIMENSIONS else "sector"
    name = f"{survey.slug}-findings-release-{release.number}-by-{by}"
    if dictionary:
        return csv_download(findings_dictionary(release, by), f"{name}-dictionary.csv")
    return csv_download(findings_csv(release, by), f"{name}.csv")
