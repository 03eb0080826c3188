"""Demo data for ``seed_demo``: the demo member approved with a mentoring profile, a few
other members to match and list, a cohort with a member's request waiting for the demo
organisation lead (Hackney's), and an upcoming event."""

import datetime

from django.utils import timezone

from accounts.services import user_create_verified

from . import services
from .models import Cohort, Event, Membership, Nomination, Organisation, OrganisationLead, Topic

OTHERS = [
    # name, organisation, level, offers, seeks, topics
    ("Priya Shah", "Camden", 8, True, False, ["Leadership", "Data and analytics"]),
    ("Grace Okoro", "Lambeth", 6, True, False, ["Managing teams", "Confidence"]),
    ("Lena Novak", "Brent", 2, False, True, ["Data and analytics", "Confidence"]),
    ("Aisha Rahman", "Tower Hamlets", 3, False, True, ["Leadership", "Managing teams"]),
    ("Hana Hussain", "Hackney", 3, False, True, ["Confidence"]),
]
# Asks Hackney's lead for a place on the demo cohort.
ASKING = "Hana Hussain"


def _member(user, name, organisation, seniority, *, offers, seeks, topics):
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        membership = services.membership_apply(
            user=user,
            organisation=Organisation.objects.get(name=organisation),
            name=name,
            role="Digital lead" if seniority > 5 else "Developer",
            seniority=seniority,
            discipline="digital",
            statement=True,
        )
    if not membership.is_member:
        services.membership_decide(membership=membership, approve=True, message="", decided_by=None)
        membership.refresh_from_db()
    services.profile_update(
        membership=membership,
        offers_mentoring=offers,
        seeks_mentoring=seeks,
        topics=list(Topic.objects.filter(name__in=topics)),
    )
    return membership


def seed(*, member_user, lead_user=None) -> Nomination | None:
    """The demo network; returns the request waiting for ``lead_user``, who leads for
    Hackney."""
    _member(member_user, member_user.full_name, "Hackney", 4, offers=False, seeks=True,
            topics=["Leadership", "Confidence"])  # fmt: skip
    asking = None
    for name, organisation, level, offers, seeks, topics in OTHERS:
        email = name.lower().replace(" ", ".") + "@example.org"
        user = user_create_verified(email=email, password=None, full_name=name)
        found = _member(user, name, organisation, level, offers=offers, seeks=seeks, topics=topics)
        asking = found if name == ASKING else asking
    if not Cohort.objects.exists():
        services.cohort_create(starts_on=timezone.localdate() + datetime.timedelta(days=30))
    cohort = Cohort.objects.order_by("-starts_on").first()
    request = None
    if lead_user is not None:
        OrganisationLead.objects.get_or_create(
            user=lead_user, organisation=Organisation.objects.get(name="Hackney")
        )
        request = Nomination.objects.filter(cohort=cohort, member=asking).first()
        if request is None:
            request = services.nomination_ask(
                cohort=cohort,
                member=asking,
                note="I lead our data team's stand-ups and want the confidence to present to "
                "the council's leadership.",
            )
    if not Event.objects.filter(starts_at__gte=timezone.now()).exists():
        start = (timezone.localtime() + datetime.timedelta(days=14)).replace(
            hour=17, minute=30, second=0, microsecond=0
        )
        services.event_save(
            title="Network meet-up: data careers in councils",
            description=(
                "An unconference: bring a question about a data career in local government."
            ),
            mode=Event.Mode.HYBRID,
            format=Event.Format.UNCONFERENCE,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            location="City Hall, Kamal Chunchie Way, London E16 1ZE",
            online_url="https://meet.example.org/wdln",
            capacity=30,
        )
    return request
