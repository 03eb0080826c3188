"""Nominations through organisations: a member asks for a place on a cohort, or an
organisation lead nominates them; the lead approves for the organisation, recording its
commitment to pay for a place the network does not fund; the coordinators give the place
(``cohorts.place_give``) or decline. Each step is emailed through the outbox."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import audit

from .. import emails
from ..models import Cohort, Membership, Nomination, NominationStatus, OrganisationLead
from .cohorts import Commitment, commitment_fields, new_nomination
from .errors import NotAllowed


def speaks_for(user, organisation_id: int) -> bool:
    """Whether ``user`` may decide for the organisation: one of its leads, or a network
    coordinator (who sees and decides everything)."""
    if user.is_network_coordinator:
        return True
    return OrganisationLead.objects.filter(user=user, organisation_id=organisation_id).exists()


def _check_open(cohort: Cohort) -> None:
    if cohort.starts_on <= timezone.localdate():
        raise NotAllowed(_("This cohort has started: it takes no more nominations."))


def nomination_ask(*, cohort: Cohort, member: Membership, note: str = "") -> Nomination:
    """A member asks for a place on a cohort; their organisation's leads are told."""
    if not member.is_member:
        raise NotAllowed(_("Only members of the network can ask for a place."))
    _check_open(cohort)
    with transaction.atomic():
        nomination = new_nomination(
            cohort=cohort, member=member, by=member.user, approved=False, commitment=None, note=note
        )
        emails.post_nomination_request(nomination)
    return nomination


def nomination_nominate(
    *, cohort: Cohort, member: Membership, by, commitment: Commitment | None
) -> Nomination:
    """An organisation lead nominates one of its members: approved for the organisation
    at once, with its commitment if it gives one. The member is told."""
    if not member.is_member:
        raise NotAllowed(_("Only members of the network can be nominated."))
    if not speaks_for(by, member.organisation_id):
        raise NotAllowed(_("You can nominate people from your own organisation only."))
    _check_open(cohort)
    with transaction.atomic():
        nomination = new_nomination(
            cohort=cohort, member=member, by=by, approved=True, commitment=commitment
        )
        emails.post_nomination_approved(nomination)
    return nomination


def nomination_approve(*, nomination: Nomination, by, commitment: Commitment | None) -> Nomination:
    """A lead approves a member's request for the organisation, with its commitment to pay
    if the network does not (or, without one, for a network-funded place only)."""
    if not speaks_for(by, nomination.organisation_id):
        raise NotAllowed(_("You can decide for your own organisation only."))
    with transaction.atomic():
        changed = audit.audited_update(
            Nomination.objects.filter(
                pk=nomination.pk, status=NominationStatus.REQUESTED
            ).select_related("member", "cohort"),
            status=NominationStatus.APPROVED,
            approved_by=by,
            approved_at=timezone.now(),
            **commitment_fields(commitment),
        )
        if not changed:
            raise NotAllowed(_("Only a request waiting for the organisation can be approved."))
        nomination.refresh_from_db()
        emails.post_nomination_approved(nomination)
    return nomination


def nomination_decline(*, nomination: Nomination, by, reason: str) -> Nomination:
    """A lead (for the organisation) or a coordinator declines a request or an approved
    nomination, with the reason the member is told."""
    if not reason.strip():
        raise NotAllowed(_("Say why, for the member."))
    if not speaks_for(by, nomination.organisation_id):
        raise NotAllowed(_("You can decide for your own organisation only."))
    with transaction.atomic():
        changed = audit.audited_update(
            Nomination.objects.filter(
                pk=nomination.pk,
                status__in=[NominationStatus.REQUESTED, NominationStatus.APPROVED],
            ).select_related("member", "cohort"),
            status=NominationStatus.DECLINED,
            decided_by=by,
            decided_at=timezone.now(),
            reason=reason.strip(),
        )
        if not changed:
            raise NotAllowed(_("This nomination has already been decided."))
        nomination.refresh_from_db()
        emails.post_nomination_outcome(nomination)
    return nomination


def nomination_withdraw(*, nomination: Nomination, member: Membership) -> Nomination:
    """A member takes back their request before they have a place."""
    changed = audit.audited_update(
        Nomination.objects.filter(
            pk=nomination.pk,
            member=member,
            status__in=[NominationStatus.REQUESTED, NominationStatus.APPROVED],
        ).select_related("member", "cohort"),
        status=NominationStatus.WITHDRAWN,
    )
    if not changed:
        raise NotAllowed(_("Only a request without a place can be taken back."))
    nomination.refresh_from_db()
    return nomination
