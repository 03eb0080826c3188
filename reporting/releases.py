"""Publishing findings as frozen, disclosure-audited releases (``models.Release``)."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common import revisions

from .breakdowns import Breakdown, Figure, RankedItem, Ranking, Row
from .disclosure import Tables, build_problem, protect_tables
from .models import Publication, Release

SEPARATOR = "|"
# How many exposed counts staff are told of when a release is refused.
SHOWN_EXPOSURES = 5


def _figure(data: dict) -> Figure:
    return Figure(**data)


def _figure_data(figure: Figure) -> dict:
    return {
        "count": figure.count,
        "percent": figure.percent,
        "suppressed": figure.suppressed,
        "complementary": figure.complementary,
        "percent_hidden": figure.percent_hidden,
    }


def _ranking_data(ranking: Ranking) -> dict:
    return {
        "kind": "ranking",
        "positions": ranking.positions,
        "respondents": _figure_data(ranking.respondents),
        "items": [
            {
                "key": item.key,
                "label": str(item.label),
                "points": _figure_data(item.points),
                "in_top": _figure_data(item.in_top),
                "at_rank": [_figure_data(f) for f in item.at_rank],
            }
            for item in ranking.items
        ],
    }


def _ranking(data: dict) -> Ranking:
    return Ranking(
        positions=data["positions"],
        respondents=_figure(data["respondents"]),
        items=[
            RankedItem(
                item["key"],
                item["label"],
                _figure(item["points"]),
                _figure(item["in_top"]),
                [_figure(f) for f in item["at_rank"]],
            )
            for item in data["items"]
        ],
        suppressed=True,
    )


def tables_data(tables: Tables) -> dict:
    """Tables as stored in a release (JSON), keyed "question|dimension"."""
    return {
        f"{question}{SEPARATOR}{dimension}": _ranking_data(table)
        if isinstance(table, Ranking)
        else {
            "columns": [[key, str(label)] for key, label in table.columns],
            "group_sizes": [_figure_data(f) for f in table.group_sizes],
            "respondents": _figure_data(table.respondents),
            "rows": [
                {
                    "key": row.key,
                    "label": str(row.label),
                    "total": _figure_data(row.total),
                    "cells": [_figure_data(c) for c in row.cells],
                }
                for row in table.rows
            ],
        }
        for (question, dimension), table in tables.items()
    }


def release_tables(release: Release) -> Tables:
    """A release's tables as breakdowns, suppressed as they were published."""
    tables = {}
    for name, data in release.tables.items():
        question, dimension = name.split(SEPARATOR)
        if data.get("kind") == "ranking":
            tables[(question, dimension)] = _ranking(data)
            continue
        tables[(question, dimension)] = Breakdown(
            columns=[tuple(column) for column in data["columns"]],
            group_sizes=[_figure(f) for f in data["group_sizes"]],
            respondents=_figure(data["respondents"]),
            rows=[
                Row(r["key"], r["label"], _figure(r["total"]), [_figure(c) for c in r["cells"]])
                for r in data["rows"]
            ],
            suppressed=True,
        )
    return tables


def releases_of(questionnaire):
    return Release.objects.filter(
        questionnaire_type=ContentType.objects.get_for_model(questionnaire),
        questionnaire_id=questionnaire.pk,
    )


def current_release(questionnaire, *, tables=True) -> Release | None:
    """The release the public sees now, if any (the newest, unless withdrawn); without its
    tables unless ``tables`` (read when first asked for)."""
    releases = releases_of(questionnaire).order_by("-number")
    newest = (releases if tables else releases.defer("tables")).first()
    return newest if newest is not None and newest.withdrawn_at is None else None


def current_releases(*, tables=True) -> list[Release]:
    """The current release of every questionnaire that has one (as ``current_release``),
    with its questionnaire, in two queries; without their tables unless ``tables``."""
    releases = (
        Release.objects.select_related("questionnaire_type")
        .prefetch_related("questionnaire")
        .order_by("questionnaire_type", "questionnaire_id", "-number")
    )
    newest = {}
    for release in releases if tables else releases.defer("tables"):
        newest.setdefault((release.questionnaire_type_id, release.questionnaire_id), release)
    return [release for release in newest.values() if release.withdrawn_at is None]


def release_publish(
    *,
    questionnaire,
    tables: Tables,
    summary: str,
    user=None,
    on_round=None,
    then=None,
) -> Release:
    """Suppress ``tables`` for publishing together with every earlier release of the
    questionnaire, audit them, and freeze them as its new release. Refused, with what a
    reader could work out, when no more hiding can protect every small count.

    The audit runs outside any transaction, so that ``on_round`` (see
    ``disclosure.protect``) can record progress where others see it; ``then(release)``
    runs in the transaction that stores the release."""
    threshold = settings.SUPPRESSION_THRESHOLD
    protection = settings.DISCLOSURE_PROTECTION_RANGE
    earlier = list(releases_of(questionnaire).order_by("number"))
    started = time.perf_counter()
    left = protect_tables(
        tables,
        threshold=threshold,
        protection=protection,
        earlier=[release_tables(r) for r in earlier],
        on_round=on_round,
    )
    if left:
        raise ValidationError(
            [
                ngettext(
                    "These figures cannot be published: %(n)s small count could still be "
                    "worked out from the rest.",
                    "These figures cannot be published: %(n)s small counts could still "
                    "be worked out from the rest.",
                    len(left),
                )
                % {"n": len(left)},
                *(str(exposure) for exposure in left[:SHOWN_EXPOSURES]),
                _(
                    "Wait for more answers, merge small groups, or leave a breakdown "
                    "out; then publish again."
                ),
            ]
        )
    problem = build_problem(tables, threshold=threshold)
    try:
        with transaction.atomic():
            # The number is unique per questionnaire: a release stored by someone else
            # since ``earlier`` was read fails here, rather than go out unaudited with it.
            release = Release.objects.create(
                questionnaire=questionnaire,
                number=(earlier[-1].number if earlier else 0) + 1,
                published_at=timezone.now(),
                published_by=user,
                summary=summary,
                tables=tables_data(tables),
                audit={
                    "threshold": threshold,
                    "protection": protection,
                    "earlier_releases": len(earlier),
                    "figures": len(problem.quantities),
                    "small": sum(q.shown == "small" for q in problem.quantities),
                    "hidden": sum(q.shown == "hidden" for q in problem.quantities),
                    "seconds": round(time.perf_counter() - started, 3),
                },
            )
            if then is not None:
                then(release)
    except IntegrityError:
        raise ValidationError(
            _(
                "Another release was published while these figures were being checked. "
                "Publish again to check them together with it."
            )
        ) from None
    return release


def release_withdraw(*, questionnaire) -> None:
    """Take the current release down; it stays on record, and in later audits."""
    releases_of(questionnaire).filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    revisions.changed()  # a queryset update sends no signal of its own


def release_restore(*, questionnaire) -> Release | None:
    """Put the latest release back up, as it was, if it is the one last withdrawn (no
    release has been published since, so its audit still covers everything public)."""
    latest = releases_of(questionnaire).order_by("-number").first()
    if latest is None or latest.withdrawn_at is None:
        return None
    latest.withdrawn_at = None
    latest.save(update_fields=["withdrawn_at"])
    return latest


def publications_of(questionnaire):
    return Publication.objects.filter(
        questionnaire_type=ContentType.objects.get_for_model(questionnaire),
        questionnaire_id=questionnaire.pk,
    )


def publication_request(*, questionnaire, summary: str, user=None) -> Publication:
    """Ask for the questionnaire's findings to be published; the caller queues the check
    (``publication_start`` and the rest). Refused while one is under way, unless it has
    been under way longer than PUBLISHING_TIMEOUT_SECONDS: its worker stopped, and it is
    marked so."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.PUBLISHING_TIMEOUT_SECONDS)
    try:
        with transaction.atomic():
            publications_of(questionnaire).filter(
                status__in=Publication.UNDER_WAY, requested_at__lt=stale
            ).update(
                status=Publication.Status.FAILED,
                finished_at=now,
                outcome=[_("The check stopped before it finished.")],
            )
            return Publication.objects.create(
                questionnaire=questionnaire,
                summary=summary,
                requested_by=user if user is not None and user.is_authenticated else None,
                requested_at=now,
            )
    except IntegrityError:
        raise ValidationError(
            _("These findings are being checked for publishing already; wait for the outcome.")
        ) from None


def publication_start(publication_id: int) -> Publication | None:
    """Claim a waiting publication for checking; None if it is not waiting (already
    started, or finished: a task run twice does nothing the second time)."""
    claimed = Publication.objects.filter(
        pk=publication_id, status=Publication.Status.WAITING
    ).update(status=Publication.Status.CHECKING, progress={"stage": "counting"})
    return Publication.objects.get(pk=publication_id) if claimed else None


def publication_progress(publication: Publication, **progress) -> None:
    """Record how far the check has got (seen by staff while it runs)."""
    publication.progress = progress
    Publication.objects.filter(pk=publication.pk).update(progress=progress)


def publication_finish(
    publication: Publication, *, status: str, outcome=(), release: Release | None = None
) -> None:
    """Record the outcome: published (with its release), refused or failed (with why)."""
    publication.status = status
    publication.outcome = [str(line) for line in outcome]
    publication.release = release
    publication.finished_at = timezone.now()
    publication.save(update_fields=["status", "outcome", "release", "finished_at"])
