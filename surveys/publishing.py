"""Publishing a questionnaire's findings: each app says what it publishes, and publishing
turns that into a frozen, disclosure-audited release (``reporting.releases``), checked in
the background for staff (``findings_request``) or at once (``findings_publish``)."""

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reporting.disclosure import Tables
from reporting.models import Publication
from reporting.releases import (
    publication_finish,
    publication_progress,
    publication_request,
    publication_start,
    release_publish,
    release_restore,
    release_withdraw,
)

from .models import Questionnaire

logger = logging.getLogger(__name__)

# Questionnaire model → what it publishes: every table, unsuppressed.
_PUBLISHES: dict[type, Callable[[Questionnaire], Tables]] = {}


def publishes(model: type[Questionnaire]):
    """Register what ``model``'s findings are made of (in the app's AppConfig.ready, so
    workers know it too)."""

    def register(build):
        _PUBLISHES[model] = build
        return build

    return register


def _check_closed(questionnaire: Questionnaire) -> None:
    if not questionnaire.has_closed():
        raise ValidationError(
            _("Findings can only be published once the %(questionnaire)s closes.")
            % {"questionnaire": questionnaire._meta.verbose_name}
        )


def findings_publish(
    *, questionnaire: Questionnaire, summary: str, user=None, on_round=None, then=None
) -> Questionnaire:
    """Publish the findings of a questionnaire that has closed, now: what its app
    publishes becomes a new frozen, disclosure-audited release, which the public sees
    until the next. Refused if it has not closed, or if the audit finds figures that
    cannot be protected (the ValidationError says which)."""
    _check_closed(questionnaire)
    tables = _PUBLISHES[type(questionnaire)](questionnaire)

    def published(release):
        questionnaire.findings_published = True
        questionnaire.findings_summary = summary
        questionnaire.save(update_fields=["findings_published", "findings_summary"])
        if then is not None:
            then(release)

    release_publish(
        questionnaire=questionnaire,
        tables=tables,
        summary=summary,
        user=user,
        on_round=on_round,
        then=published,
    )
    return questionnaire


def findings_request(*, questionnaire: Questionnaire, summary: str, user=None) -> Publication:
    """Ask for the findings to be published: the audit runs in a Celery task, and staff
    follow the returned publishing run to its outcome. Refused at once if the
    questionnaire has not closed or a run is under way."""
    _check_closed(questionnaire)
    with transaction.atomic():
        publication = publication_request(questionnaire=questionnaire, summary=summary, user=user)
        transaction.on_commit(lambda: _queue(publication.pk))
    return publication


def _queue(publication_id: int) -> None:
    from . import tasks  # tasks import this module

    try:
        tasks.publish_findings.delay(publication_id)
    except Exception:
        # The run stays waiting; staff see it has not started, and may ask again once
        # it times out (PUBLISHING_TIMEOUT_SECONDS).
        logger.exception("Could not queue publishing run %s", publication_id)


def findings_check(publication_id: int) -> None:
    """Run a waiting publishing run to its outcome (the task's body; safe to run twice)."""
    publication = publication_start(publication_id)
    if publication is None:
        return
    questionnaire = publication.questionnaire

    def on_round(rounds, hidden):
        publication_progress(publication, stage="checking", rounds=rounds, hidden=hidden)

    try:
        findings_publish(
            questionnaire=questionnaire,
            summary=publication.summary,
            user=publication.requested_by,
            on_round=on_round,
            then=lambda release: publication_finish(
                publication, status=Publication.Status.PUBLISHED, release=release
            ),
        )
    except ValidationError as refusal:
        publication_finish(publication, status=Publication.Status.REFUSED, outcome=refusal.messages)
    except Exception:
        logger.exception("Publishing run %s stopped", publication_id)
        publication_finish(
            publication,
            status=Publication.Status.FAILED,
            outcome=[_("The check stopped with an error; it has been logged. Try again.")],
        )


def findings_restore(*, questionnaire: Questionnaire):
    """Undo withdrawing: publish the release last withdrawn again, unchanged, if no other
    has been published since and the questionnaire is closed. Returns it, or None when
    there is nothing to restore."""
    if not questionnaire.has_closed():
        return None
    with transaction.atomic():
        release = release_restore(questionnaire=questionnaire)
        if release is not None:
            questionnaire.findings_published = True
            questionnaire.save(update_fields=["findings_published"])
    return release


def findings_withdraw(*, questionnaire: Questionnaire) -> Questionnaire:
    """Take published findings down (the release stays on record for later audits)."""
    with transaction.atomic():
        release_withdraw(questionnaire=questionnaire)
        questionnaire.findings_published = False
        questionnaire.save(update_fields=["findings_published"])
    return questionnaire
