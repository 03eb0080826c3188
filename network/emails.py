"""The network's one-off emails."""

from common.links import absolute_url
from notifications.notify import send_once

from .models import EventRsvp, MatchStatus, Membership, MentoringMatch, Place, RsvpStatus


def send_decision(*, membership_id: int) -> bool:
    """Tell an applicant whether they were approved or declined, with the coordinator's
    message."""
    membership = Membership.objects.select_related("user").get(pk=membership_id)
    if membership.user is None or membership.decided_at is None:
        return False  # left, or applied again before this email went
    # Someone declined may apply again and be decided on again: each decision is its own
    # email, told apart by when it was taken.
    return send_once(
        key=f"membership-decision:{membership.pk}:{membership.status}:"
        f"{membership.decided_at:%Y%m%dT%H%M%S.%f}",
        to=membership.user.email,
        template="network/email/decision",
        context={"membership": membership, "network_url": absolute_url("/network/")},
    )


def send_place_offer(*, place_id: int) -> bool:
    """Tell someone on the waiting list that a course place is now theirs."""
    place = Place.objects.select_related("member__user", "cohort").get(pk=place_id)
    if place.member.user is None:
        return False
    return send_once(
        key=f"place-offer:{place.pk}",
        to=place.member.user.email,
        template="network/email/place_offer",
        context={"place": place},
    )


def send_event_place(*, rsvp_id: int) -> bool:
    """Tell someone on an event's waiting list that they now have a place."""
    rsvp = EventRsvp.objects.select_related("member__user", "event").get(pk=rsvp_id)
    if rsvp.status != RsvpStatus.GOING or rsvp.member.user is None:
        return False
    return send_once(
        key=f"event-place:{rsvp.pk}",
        to=rsvp.member.user.email,
        template="network/email/event_place",
        context={"rsvp": rsvp, "event_url": absolute_url(rsvp.event.get_absolute_url())},
    )


def send_match(*, match_id: int) -> bool:
    """Tell both sides of a confirmed mentoring pair."""
    match = MentoringMatch.objects.select_related("mentor__user", "mentee__user").get(pk=match_id)
    if match.status != MatchStatus.CONFIRMED:
        return False
    sent = False
    for role, person, other in (
        ("mentor", match.mentor, match.mentee),
        ("mentee", match.mentee, match.mentor),
    ):
        if person.user is not None:
            sent |= send_once(
                key=f"match:{match.pk}:{role}",
                to=person.user.email,
                template="network/email/match",
                context={
                    "role": role,
                    "person": person,
                    "other": other,
                    "other_email": other.user.email if other.user else "",
                    "match": match,
                },
            )
    return sent
