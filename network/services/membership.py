"""Applying, decisions, profiles and leaving the network."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common import audit
from common.services import model_update

from .. import emails
from ..models import (
    MatchStatus,
    Membership,
    MembershipStatus,
    MentoringMatch,
    Nomination,
    NominationStatus,
    Place,
    PlaceStatus,
    RsvpStatus,
)
from .cohorts import place_withdraw
from .errors import NotAllowed
from .events import event_cancel_rsvp

PROFILE_FIELDS = (
    "name", "role", "seniority", "discipline", "organisation", "bio", "listed", "show_email",
    "show_role", "show_organisation", "show_seniority", "show_bio", "offers_mentoring",
    "seeks_mentoring", "mentee_capacity", "prefers_other_organisation",
    "receives_optional_email",
)  # fmt: skip


def membership_apply(
    *, user, organisation, name, role, seniority, discipline, statement
) -> Membership:
    """Apply to join. The statement is self-declared: nothing more is asked."""
    if not statement:
        raise ValidationError(
            {
                "statement": _(
                    "The network is for women, non-binary and gender-nonconforming people."
                )
            }
        )
    existing = Membership.objects.filter(user=user).first()
    if existing and existing.status in (MembershipStatus.APPLIED, MembershipStatus.APPROVED):
        raise NotAllowed(_("You have already applied."))
    membership = existing or Membership(user=user)
    membership.organisation = organisation
    membership.name = name
    membership.role = role
    membership.seniority = seniority
    membership.discipline = discipline
    membership.statement = True
    membership.status = MembershipStatus.APPLIED
    membership.decided_at = membership.decided_by = None
    membership.decision_message = ""
    membership.full_clean()
    membership.save()
    return membership


def membership_decide(
    *, membership: Membership, approve: bool, message: str, decided_by
) -> Membership:
    """A coordinator approves or declines an application; the applicant is emailed either way."""
    with transaction.atomic():
        updated = audit.audited_update(
            Membership.objects.filter(pk=membership.pk, status=MembershipStatus.APPLIED),
            status=MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED,
            decision_message=message.strip(),
            decided_at=timezone.now(),
            decided_by=decided_by,
        )
        if not updated:
            raise NotAllowed(_("This application has already been decided."))
        membership.refresh_from_db()
        emails.post_decision(membership)
    return membership


def profile_update(*, membership: Membership, topics=None, **fields) -> Membership:
    """A member changes their profile, what the directory shows, and their mentoring offer."""
    model_update(membership, fields, editable=PROFILE_FIELDS, save=False)
    with transaction.atomic():
        membership.save()
        if topics is not None:
            membership.topics.set(topics)
    return membership


def membership_leave(*, membership: Membership) -> Membership:
    """Leave the network: personal data is erased and the account unlinked. The anonymous
    row stays so that places and attendance still count; current mentoring ends, and
    future event places, course places in cohorts not yet started and every place on a
    course waiting list are given up (the waiting lists move up). Completed places and
    places in cohorts under way stay, anonymous, for the numbers."""
    email = membership.user.email if membership.user else ""
    with transaction.atomic():
        for rsvp in membership.rsvps.filter(
            status__in=[RsvpStatus.GOING, RsvpStatus.WAITING], event__starts_at__gt=timezone.now()
        ):
            event_cancel_rsvp(event=rsvp.event, member=membership)
        # A waiting place is given up even in a cohort under way: left there, it would later
        # be offered to "Former member".
        for place in membership.places.filter(
            Q(status=PlaceStatus.WAITING)
            | Q(
                status__in=[PlaceStatus.NOMINATED, PlaceStatus.CONFIRMED],
                cohort__starts_on__gt=timezone.localdate(),
            )
        ).select_related("cohort"):
            place_withdraw(place=place)
        MentoringMatch.objects.filter(
            Q(mentor=membership) | Q(mentee=membership),
            status__in=[MatchStatus.PROPOSED, MatchStatus.CONFIRMED],
        ).update(status=MatchStatus.ENDED, ended_at=timezone.now())
        membership.topics.clear()
        for name in ("name", "role", "bio", "decision_message"):
            setattr(membership, name, "")
        for name in (
            "listed",
            "show_email",
            "show_role",
            "show_organisation",
            "show_seniority",
            "show_bio",
            "offers_mentoring",
            "seeks_mentoring",
            "receives_optional_email",
        ):
            setattr(membership, name, False)
        if email:
            emails.forget(membership, email)
        membership.user = None
        membership.status = MembershipStatus.LEFT
        membership.left_at = timezone.now()
        membership.save()
        # The audit log names them in its entries about their application, places and
        # pairings: that history leaves with them.
        audit.forget(Membership, [membership.pk])
        audit.forget(Place, membership.places.values_list("pk", flat=True))
        # Requests not yet decided go; their words go with them.
        membership.nominations.filter(
            status__in=[NominationStatus.REQUESTED, NominationStatus.APPROVED]
        ).update(status=NominationStatus.WITHDRAWN)
        membership.nominations.update(note="")
        audit.forget(Nomination, membership.nominations.values_list("pk", flat=True))
        audit.forget(
            MentoringMatch,
            MentoringMatch.objects.filter(Q(mentor=membership) | Q(mentee=membership)).values_list(
                "pk", flat=True
            ),
        )
    return membership


def membership_stop_news(*, membership: Membership) -> Membership:
    """A member stops the network's news (from the link in any such email); invitations
    and reminders still come."""
    Membership.objects.filter(pk=membership.pk).update(receives_optional_email=False)
    membership.receives_optional_email = False
    return membership
