"""The network's one-off emails, through the outbox: each service posts its message in the
transaction that made it necessary, and the builder here writes it at send time."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.links import absolute_url
from notifications import outbox

from .models import EventRsvp, MatchStatus, Membership, MentoringMatch, Place, RsvpStatus

DECISION, PLACE_OFFER, EVENT_PLACE, MATCH = (
    "network.decision",
    "network.place_offer",
    "network.event_place",
    "network.match",
)
GONE = gettext_lazy("The member has left the network.")


def _post_to(member: Membership, topic: str, *, key: str, params: dict) -> None:
    """Email a member, unless they have left (and taken their account with them)."""
    if member.user is not None:
        outbox.post(topic, key=key, to=member.user.email, params=params)


def post_decision(membership: Membership) -> None:
    """Tell an applicant whether they were approved or declined, with the coordinator's
    message. Someone declined may apply again and be decided on again: each decision is
    its own email, told apart by when it was taken."""
    stamp = f"{membership.decided_at:%Y%m%dT%H%M%S.%f}"
    _post_to(
        membership,
        DECISION,
        key=f"membership-decision:{membership.pk}:{membership.status}:{stamp}",
        params={"membership_id": membership.pk, "decided_at": stamp},
    )


@outbox.topic(DECISION, label=gettext_lazy("Membership decision"), audience="network")
def decision_email(message, prepared):
    membership = Membership.objects.select_related("user").get(pk=message.params["membership_id"])
    if membership.user is None:
        return outbox.Skip(GONE)
    if (
        membership.decided_at is None
        or f"{membership.decided_at:%Y%m%dT%H%M%S.%f}" != message.params["decided_at"]
    ):
        return outbox.Skip(_("Applied again before this was sent."))
    return outbox.render(
        "network/email/decision",
        {"membership": membership, "network_url": absolute_url("/network/")},
    )


def post_place_offer(place: Place) -> None:
    """Tell someone on the waiting list that a course place is now theirs."""
    _post_to(
        place.member, PLACE_OFFER, key=f"place-offer:{place.pk}", params={"place_id": place.pk}
    )


@outbox.topic(PLACE_OFFER, label=gettext_lazy("Course place offered"), audience="network")
def place_offer_email(message, prepared):
    place = Place.objects.select_related("member__user", "cohort").get(
        pk=message.params["place_id"]
    )
    if place.member.user is None:
        return outbox.Skip(GONE)
    return outbox.render("network/email/place_offer", {"place": place})


def post_event_place(rsvp: EventRsvp) -> None:
    """Tell someone on an event's waiting list that they now have a place."""
    _post_to(rsvp.member, EVENT_PLACE, key=f"event-place:{rsvp.pk}", params={"rsvp_id": rsvp.pk})


@outbox.topic(EVENT_PLACE, label=gettext_lazy("Event place offered"), audience="network")
def event_place_email(message, prepared):
    rsvp = EventRsvp.objects.select_related("member__user", "event").get(
        pk=message.params["rsvp_id"]
    )
    if rsvp.member.user is None:
        return outbox.Skip(GONE)
    if rsvp.status != RsvpStatus.GOING:
        return outbox.Skip(_("No longer going."))
    return outbox.render(
        "network/email/event_place",
        {"rsvp": rsvp, "event_url": absolute_url(rsvp.event.get_absolute_url())},
    )


def post_match(match: MentoringMatch) -> None:
    """Tell both sides of a confirmed mentoring pair, one email each."""
    for role, person in (("mentor", match.mentor), ("mentee", match.mentee)):
        _post_to(
            person,
            MATCH,
            key=f"match:{match.pk}:{role}",
            params={"match_id": match.pk, "role": role},
        )


@outbox.topic(MATCH, label=gettext_lazy("Mentoring pair confirmed"), audience="network")
def match_email(message, prepared):
    match = MentoringMatch.objects.select_related("mentor__user", "mentee__user").get(
        pk=message.params["match_id"]
    )
    if match.status != MatchStatus.CONFIRMED:
        return outbox.Skip(_("The pair was ended before this was sent."))
    role = message.params["role"]
    person, other = (
        (match.mentor, match.mentee) if role == "mentor" else (match.mentee, match.mentor)
    )
    return outbox.render(
        "network/email/match",
        {
            "role": role,
            "person": person,
            "other": other,
            "other_email": other.user.email if other.user else "",
            "match": match,
        },
    )
