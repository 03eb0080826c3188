"""The network's one-off emails, through the outbox: each service posts its message in the
transaction that made it necessary, and the builder here writes it at send time."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.links import absolute_url
from notifications import outbox

from .models import (
    Event,
    Funder,
    MatchStatus,
    Membership,
    MentoringMatch,
    Nomination,
    NominationStatus,
    OrganisationLead,
    Place,
    PlaceStatus,
)
from .reminders import EventSource, SessionSource

# A place at an event is an invitation with its calendar (notifications.reminders).
DECISION, PLACE_OFFER, MATCH = "network.decision", "network.place_offer", "network.match"
NOMINATION_REQUEST = "network.nomination_request"
NOMINATION_APPROVED = "network.nomination_approved"
NOMINATION_OUTCOME = "network.nomination_outcome"
PLACE_RELEASED = "network.place_released"
CHECK_IN, MATCH_ENDED = "network.check_in", "network.match_ended"
EVALUATION = "network.evaluation"
TIMETABLE = "network.timetable"
GONE = gettext_lazy("The member has left the network.")


def forget(membership: Membership, email: str) -> None:
    """A member has left: no email of the network's waiting for them goes, and their
    address leaves every one sent to them as a member: the network's own (the retired
    "place came free" ones too), reminders of its events and sessions, and news, which
    names them by ``membership_id``."""
    outbox.forget_to(
        email,
        reason=_("They left the network."),
        topics=[
            DECISION,
            PLACE_OFFER,
            MATCH,
            "network.event_place",
            NOMINATION_APPROVED,
            NOMINATION_OUTCOME,
            PLACE_RELEASED,
            CHECK_IN,
            MATCH_ENDED,
            EVALUATION,
            TIMETABLE,
        ],
        about_kinds=[SessionSource.kind, EventSource.kind],
    )
    outbox.forget_matching(
        Q(params__membership_id=membership.pk), reason=_("They left the network.")
    )


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


def _leads(organisation_id: int):
    return OrganisationLead.objects.filter(organisation_id=organisation_id).select_related("user")


def post_nomination_request(nomination: Nomination) -> None:
    """Tell the organisation's leads that one of its members asks for a place."""
    for lead in _leads(nomination.organisation_id):
        outbox.post(
            NOMINATION_REQUEST,
            key=f"nomination-request:{nomination.pk}:{lead.user_id}",
            to=lead.user.email,
            params={"nomination_id": nomination.pk},
        )


def _nomination(message) -> Nomination:
    return Nomination.objects.select_related(
        "member__user", "organisation", "cohort", "decided_by"
    ).get(pk=message.params["nomination_id"])


@outbox.topic(
    NOMINATION_REQUEST, label=gettext_lazy("A member asks for a course place"), audience="network"
)
def nomination_request_email(message, prepared):
    nomination = _nomination(message)
    if nomination.status != NominationStatus.REQUESTED:
        return outbox.Skip(_("Decided before this was sent."))
    return outbox.render(
        "network/email/nomination_request",
        {"nomination": nomination, "url": absolute_url(reverse("network:organisation"))},
    )


def post_nomination_approved(nomination: Nomination) -> None:
    """Tell a member their organisation has put them forward."""
    _post_to(
        nomination.member,
        NOMINATION_APPROVED,
        key=f"nomination-approved:{nomination.pk}",
        params={"nomination_id": nomination.pk},
    )


@outbox.topic(
    NOMINATION_APPROVED,
    label=gettext_lazy("Put forward for a course place"),
    audience="network",
)
def nomination_approved_email(message, prepared):
    nomination = _nomination(message)
    if nomination.member.user is None:
        return outbox.Skip(GONE)
    return outbox.render(
        "network/email/nomination_approved",
        {"nomination": nomination, "url": absolute_url(reverse("network:me"))},
    )


def post_nomination_outcome(nomination: Nomination) -> None:
    """Tell a member what the coordinators (or their organisation) decided."""
    _post_to(
        nomination.member,
        NOMINATION_OUTCOME,
        key=f"nomination-outcome:{nomination.pk}",
        params={"nomination_id": nomination.pk},
    )


@outbox.topic(NOMINATION_OUTCOME, label=gettext_lazy("Course place decided"), audience="network")
def nomination_outcome_email(message, prepared):
    nomination = _nomination(message)
    if nomination.member.user is None:
        return outbox.Skip(GONE)
    place = Place.objects.filter(nomination=nomination).first()
    return outbox.render(
        "network/email/nomination_outcome",
        {
            "nomination": nomination,
            "place": place,
            "waiting": place is not None and place.status == PlaceStatus.WAITING,
            "url": absolute_url(reverse("network:me")),
        },
    )


def post_place_released(place: Place) -> None:
    """Tell the member and their organisation's leads that the network now funds a place
    the organisation was to pay for."""
    recipients = [
        (lead.user.email, f"lead{lead.user_id}") for lead in _leads(place.organisation_id)
    ]
    if place.member.user is not None:
        recipients.append((place.member.user.email, "member"))
    for email, who in recipients:
        outbox.post(
            PLACE_RELEASED,
            key=f"place-released:{place.pk}:{who}",
            to=email,
            params={"place_id": place.pk, "membership_id": place.member_id},
        )


@outbox.topic(
    PLACE_RELEASED, label=gettext_lazy("Course place now network-funded"), audience="network"
)
def place_released_email(message, prepared):
    place = Place.objects.select_related("member", "organisation", "cohort").get(
        pk=message.params["place_id"]
    )
    if place.funder != Funder.NETWORK:
        return outbox.Skip(_("The place is no longer network-funded."))
    return outbox.render("network/email/place_released", {"place": place})


def post_check_in_prompt(match: MentoringMatch, *, at) -> None:
    """Ask both of a confirmed pair, monthly, how it is going."""
    for role, person in (("mentor", match.mentor), ("mentee", match.mentee)):
        _post_to(
            person,
            CHECK_IN,
            key=f"check-in:{match.pk}:{at:%Y%m%d}:{role}",
            params={"match_id": match.pk, "role": role, "membership_id": person.pk},
        )


@outbox.topic(CHECK_IN, label=gettext_lazy("Mentoring check-in"), audience="network")
def check_in_email(message, prepared):
    match = MentoringMatch.objects.select_related("mentor", "mentee").get(
        pk=message.params["match_id"]
    )
    if match.status != MatchStatus.CONFIRMED:
        return outbox.Skip(_("The pair ended before this was sent."))
    role = message.params["role"]
    person, other = (
        (match.mentor, match.mentee) if role == "mentor" else (match.mentee, match.mentor)
    )
    return outbox.render(
        "network/email/check_in",
        {
            "person": person,
            "other": other,
            "url": absolute_url(reverse("network:pairing", args=[match.pk])),
        },
    )


def post_match_ended(match: MentoringMatch, *, ended_by: str) -> None:
    """Tell the other of a pair that it has ended, and ask for their feedback."""
    other = match.mentee if ended_by == "mentor" else match.mentor
    role = "mentee" if ended_by == "mentor" else "mentor"
    _post_to(
        other,
        MATCH_ENDED,
        key=f"match-ended:{match.pk}:{role}",
        params={"match_id": match.pk, "role": role, "membership_id": other.pk},
    )


@outbox.topic(MATCH_ENDED, label=gettext_lazy("Mentoring pair ended"), audience="network")
def match_ended_email(message, prepared):
    match = MentoringMatch.objects.select_related("mentor", "mentee").get(
        pk=message.params["match_id"]
    )
    role = message.params["role"]
    person, other = (
        (match.mentor, match.mentee) if role == "mentor" else (match.mentee, match.mentor)
    )
    return outbox.render(
        "network/email/match_ended",
        {
            "person": person,
            "other": other,
            "url": absolute_url(reverse("network:pairing", args=[match.pk])),
        },
    )


def post_evaluation(place: Place, stage: str) -> None:
    """Ask someone with a place to answer the course evaluation's questionnaire."""
    _post_to(
        place.member,
        EVALUATION,
        key=f"evaluation:{place.pk}:{stage}",
        params={"place_id": place.pk, "stage": stage, "membership_id": place.member_id},
    )


@outbox.topic(EVALUATION, label=gettext_lazy("Course evaluation"), audience="network")
def evaluation_email(message, prepared):
    place = Place.objects.select_related("member", "cohort").get(pk=message.params["place_id"])
    if place.status not in (PlaceStatus.NOMINATED, PlaceStatus.CONFIRMED, PlaceStatus.COMPLETED):
        return outbox.Skip(_("The place was withdrawn before this was sent."))
    stage = message.params["stage"]
    return outbox.render(
        "network/email/evaluation",
        {
            "place": place,
            "before": stage == "before",
            "url": absolute_url(reverse("network:evaluation", args=[place.pk, stage])),
        },
    )


def post_timetable(rsvp, *, published_at) -> None:
    """Tell an attendee of an unconference that its timetable is published."""
    _post_to(
        rsvp.member,
        TIMETABLE,
        key=f"timetable:{rsvp.event_id}:{rsvp.member_id}:{published_at:%Y%m%dT%H%M%S.%f}",
        params={"event_id": rsvp.event_id, "membership_id": rsvp.member_id},
    )


@outbox.topic(TIMETABLE, label=gettext_lazy("Unconference timetable"), audience="network")
def timetable_email(message, prepared):
    event = Event.objects.get(pk=message.params["event_id"])
    if event.is_cancelled:
        return outbox.Skip(_("The event was cancelled before this was sent."))
    return outbox.render(
        "network/email/timetable",
        {
            "event": event,
            "url": absolute_url(reverse("network:sessions", args=[event.slug])),
            "ics": absolute_url(reverse("network:timetable_ics", args=[event.slug])),
        },
    )
