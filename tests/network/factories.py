import datetime
import itertools

from django.utils import timezone

from network import services
from network.models import Discipline, Event, Organisation, OrganisationLead, Topic
from tests.conftest import make_user

_counter = itertools.count()


def organisation(name="Hackney"):
    return Organisation.objects.get(name=name)


def member(
    name=None,
    *,
    org="Hackney",
    seniority=3,
    approve=True,
    offers=False,
    seeks=False,
    topics=(),
    capacity=1,
    prefers_other=True,
    decided_by=None,
    user=None,
    **profile,
):
    """A member set up as a person would be: signs up (or uses ``user``), applies, is
    approved."""
    n = next(_counter)
    name = name or f"Member {n}"
    user = user or make_user(f"{name.lower().replace(' ', '.')}.{n}@example.org")
    membership = services.membership_apply(
        user=user,
        organisation=organisation(org),
        name=name,
        role="Developer",
        seniority=seniority,
        discipline=Discipline.DIGITAL,
        statement=True,
    )
    if approve:
        services.membership_decide(
            membership=membership, approve=True, message="", decided_by=decided_by
        )
        services.profile_update(
            membership=membership,
            offers_mentoring=offers,
            seeks_mentoring=seeks,
            mentee_capacity=capacity,
            prefers_other_organisation=prefers_other,
            topics=[Topic.objects.get_or_create(name=t)[0] for t in topics],
            **profile,
        )
    membership.refresh_from_db()
    return membership


def cohort(**fields):
    fields.setdefault("starts_on", datetime.date(2027, 3, 1))
    return services.cohort_create(**fields)


def event(capacity=2, **fields):
    start = timezone.now() + datetime.timedelta(days=10)
    values = {
        "title": "Unconference: data in councils",
        "description": "Bring a topic.",
        "mode": Event.Mode.HYBRID,
        "format": Event.Format.UNCONFERENCE,
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=3),
        "location": "City Hall",
        "online_url": "https://meet.example.org/dit",
        "capacity": capacity,
    }
    values.update(fields)
    return services.event_save(**values)


def lead(org="Hackney", email=None):
    """Someone named a lead for ``org`` (coordinators and admins do this in the admin)."""
    n = next(_counter)
    user = make_user(email or f"lead.{n}@example.org")
    OrganisationLead.objects.create(user=user, organisation=organisation(org))
    return user


def commitment(reference="PO-4471"):
    """An organisation's agreement to pay for a place, as its lead records it."""
    return services.Commitment(
        agreed_by="Dee Director, Director of Digital",
        reference=reference,
        agreed_on=datetime.date(2026, 11, 20),
    )
