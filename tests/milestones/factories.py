import datetime

import factory
from django.utils import timezone

from milestones import services
from milestones.models import (
    Activity,
    ActivityKind,
    AdvisoryMeeting,
    AdvisoryMember,
    Precision,
    Workstream,
)


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Workstream {n}")
    slug = factory.Sequence(lambda n: f"workstream-{n}")


class ActivityFactory(factory.Factory):
    """Builds activities through ``services.activity_create``, as staff would."""

    class Meta:
        model = Activity

    workstream = factory.SubFactory(WorkstreamFactory)
    kind = ActivityKind.EVENT
    title = factory.Sequence(lambda n: f"Activity {n}")
    starts_on = datetime.date(2030, 6, 1)
    starts_precision = Precision.MONTH
    deliverables = ("First outcome", "Second outcome")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.activity_create(**kwargs)


class AdvisoryMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisoryMember

    name = factory.Sequence(lambda n: f"Adviser {n}")
    email = factory.Sequence(lambda n: f"adviser{n}@example.org")
    organisation = "Hackney CVS"


class AdvisoryMeetingFactory(factory.Factory):
    """Builds meetings through ``services.meeting_create``."""

    class Meta:
        model = AdvisoryMeeting

    title = "Advisory Group Meeting"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    location = "Hackney Town Hall"
    agenda = "1. Welcome"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.meeting_create(**kwargs)
