"""The course evaluation: short questionnaires before and after the course (confidence,
leadership self-efficacy, connections across boroughs), sent through the outbox as each
cohort starts and ends, answered once per place and stage from My network."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails
from ..models import (
    ACTIVE_PLACE,
    Cohort,
    EvaluationAnswer,
    EvaluationStage,
    Membership,
    Place,
    PlaceStatus,
)
from .errors import NotAllowed


def evaluation_answer(
    *,
    place: Place,
    member: Membership,
    stage: str,
    confidence: int,
    efficacy: int,
    connections: int,
) -> EvaluationAnswer:
    """Someone with a place answers the stage's questionnaire, once."""
    if place.member_id != member.pk or place.status not in ACTIVE_PLACE:
        raise NotAllowed(_("This questionnaire is for those with a place on the course."))
    if not place.cohort.evaluation_open(stage, timezone.localdate()):
        raise NotAllowed(_("This questionnaire is not taking answers now."))
    answer = EvaluationAnswer(
        place=place, stage=stage, confidence=confidence, efficacy=efficacy, connections=connections
    )
    answer.full_clean(exclude=["place"])
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as error:
        raise NotAllowed(_("You have already answered this questionnaire.")) from error
    return answer


def evaluation_due(*, now: datetime.datetime | None = None) -> None:
    """The outbox's scan (``EMAIL_SCANS``): on the day a cohort starts, send everyone with a
    place the "before" questionnaire; on the day it ends, the "after" one. Each cohort's
    stage goes once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    for stage, sent in (
        (EvaluationStage.BEFORE, "evaluation_before_sent_at"),
        (EvaluationStage.AFTER, "evaluation_after_sent_at"),
    ):
        for cohort in Cohort.objects.filter(**{f"{sent}__isnull": True}):
            if not cohort.evaluation_open(stage, today):
                continue
            with transaction.atomic():
                if not Cohort.objects.filter(pk=cohort.pk, **{f"{sent}__isnull": True}).update(
                    **{sent: now}
                ):
                    continue  # another scan sent it a moment ago
                places = cohort.places.filter(
                    status__in=[PlaceStatus.NOMINATED, PlaceStatus.CONFIRMED, PlaceStatus.COMPLETED]
                ).select_related("member__user")
                for place in places:
                    emails.post_evaluation(place, stage)
