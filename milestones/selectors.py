"""Reads of the roadmap: each page's data in a fixed number of queries."""

import datetime
import itertools
from dataclasses import dataclass

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    Activity,
    ActivityKind,
    AdvisoryMeeting,
    Deliverable,
    MeetingAttendance,
    Precision,
    Status,
)

EVENT_KINDS = (ActivityKind.EVENT, ActivityKind.ADVISORY_MEETING, ActivityKind.ROUNDTABLE)


def public_activities() -> QuerySet[Activity]:
    """Public activities with workstream, partners and bullet points, in date order."""
    return (
        Activity.objects.filter(is_public=True)
        .select_related("workstream")
        .prefetch_related(
            "partners",
            Prefetch("deliverables", queryset=Deliverable.objects.order_by("position", "pk")),
        )
    )


@dataclass
class YearGroup:
    year: int
    activities: list[Activity]


def roadmap_timeline() -> list[YearGroup]:
    """The public roadmap grouped by the year each activity starts (3 queries)."""
    activities = list(public_activities())
    return [
        YearGroup(year=year, activities=list(group))
        for year, group in itertools.groupby(activities, key=lambda a: a.starts_on.year)
    ]


def status_counts(activities: list[Activity]) -> dict[str, int]:
    """How many of ``activities`` are done, under way and upcoming. Status depends on today
    and on staff's overrides, so it is worked out on the rows already loaded."""
    counts = dict.fromkeys(Status.values, 0)
    for activity in activities:
        counts[activity.status] += 1
    return counts


def activity_detail(*, slug: str) -> Activity:
    """A public activity with its meetings and its consultations, if any
    (raises ``Activity.DoesNotExist``)."""
    return (
        public_activities()
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=AdvisoryMeeting.objects.filter(is_cancelled=False).order_by("starts_at"),
            )
        )
        .get(slug=slug)
    )


@dataclass
class UpcomingEvent:
    title: str
    url: str
    when: datetime.date | datetime.datetime
    activity: Activity | None = None
    meeting: AdvisoryMeeting | None = None


def upcoming_events(*, limit: int | None = None) -> list[UpcomingEvent]:
    """Events still to come: advisory meetings, and event-like roadmap activities whose
    dates have not yet passed. Soonest first."""
    now = timezone.now()
    today = timezone.localdate()
    meetings = AdvisoryMeeting.objects.filter(starts_at__gte=now, is_cancelled=False)
    # A month-precision date covers its whole month: compare it with the first of this
    # month, and a day-precision one with today.
    this_month = today.replace(day=1)
    not_over = (
        Q(ends_on__isnull=True)
        & (
            Q(starts_precision=Precision.DAY, starts_on__gte=today)
            | Q(starts_precision=Precision.MONTH, starts_on__gte=this_month)
        )
    ) | (
        Q(ends_precision=Precision.DAY, ends_on__gte=today)
        | Q(ends_precision=Precision.MONTH, ends_on__gte=this_month)
    )
    activities = (
        Activity.objects.filter(not_over, is_public=True, kind__in=EVENT_KINDS)
        .exclude(status_override=Status.DONE)
        # A roadmap entry whose meeting is scheduled is listed once, as the meeting.
        .exclude(meetings__isnull=False)
        .order_by("starts_on", "pk")
    )
    events = [
        UpcomingEvent(m.title, m.get_absolute_url(), m.starts_at, meeting=m)
        for m in meetings[:limit]
    ]
    events += [
        UpcomingEvent(a.title, a.get_absolute_url(), a.starts_on, activity=a)
        for a in activities[:limit]
    ]
    events.sort(key=lambda e: _as_date(e.when))
    return events[:limit] if limit else events


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def next_change(events: list[UpcomingEvent], *, now: datetime.datetime) -> datetime.datetime:
    """When the public roadmap pages read at ``now`` next change with no one editing
    anything: at the local midnight after ``now``, when statuses move on and dated entries
    pass, or when the first of ``events`` that is a meeting starts and leaves the list,
    whichever is sooner. ``now`` is taken before the pages are read, so a page rendered
    across midnight is already out of date when kept."""
    meetings = (event.when for event in events if event.meeting is not None)
    return min([_midnight_after(now), *meetings])


def pages_change_at(now: datetime.datetime) -> datetime.datetime:
    """As ``next_change``, for every public page kept whole (``common.kept_pages.whole``):
    the next midnight, or the next meeting's start, whichever is sooner (1 query)."""
    meetings = AdvisoryMeeting.objects.filter(starts_at__gt=now, is_cancelled=False)
    starts = meetings.aggregate(first=Min("starts_at"))["first"]
    return min(moment for moment in (_midnight_after(now), starts) if moment is not None)


def _midnight_after(now: datetime.datetime) -> datetime.datetime:
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def calendar_entries() -> tuple[list[Activity], list[AdvisoryMeeting]]:
    """Everything with a date, for the iCalendar feed: public activities and meetings.
    As in ``upcoming_events``, a roadmap entry with a meeting scheduled is in the feed once,
    as the meeting, not also as a day or month-long event beside it."""
    return (
        list(public_activities().exclude(meetings__isnull=False)),
        list(AdvisoryMeeting.objects.order_by("starts_at")),
    )


def roadmap_export() -> tuple[list[Activity], list[AdvisoryMeeting]]:
    """The whole public roadmap for the JSON export: every public activity, with or
    without meetings, and every meeting."""
    return (
        list(public_activities()),
        list(AdvisoryMeeting.objects.order_by("starts_at")),
    )


def staff_activity_list() -> QuerySet[Activity]:
    """Every activity, public or not, for staff (1 query)."""
    return Activity.objects.select_related("workstream").order_by("starts_on", "pk")


def staff_meeting_list() -> QuerySet[AdvisoryMeeting]:
    """Every meeting, newest first, for staff (1 query)."""
    return AdvisoryMeeting.objects.select_related("activity").order_by("-starts_at")


def meeting_detail(*, pk: int) -> AdvisoryMeeting:
    """A meeting with its papers and invitations (3 queries; raises DoesNotExist)."""
    return (
        AdvisoryMeeting.objects.select_related("activity")
        .prefetch_related(
            "papers",
            Prefetch(
                "attendance",
                queryset=MeetingAttendance.objects.select_related("member").order_by(
                    "member__name"
                ),
            ),
        )
        .get(pk=pk)
    )


def attendance_for_user(*, meeting: AdvisoryMeeting, user) -> MeetingAttendance | None:
    """The signed-in person's invitation to ``meeting``, if they are an invited member."""
    if not user.is_authenticated:
        return None
    return next(
        (a for a in meeting.attendance.all() if a.member.user_id == user.pk),
        None,
    )


def meetings_without_minutes(*, now: datetime.datetime | None = None) -> QuerySet[AdvisoryMeeting]:
    """Meetings that have taken place (not cancelled) with no minutes recorded yet, oldest
    first (1 query)."""
    return AdvisoryMeeting.objects.filter(
        ends_at__lte=now or timezone.now(), is_cancelled=False, minutes=""
    ).order_by("starts_at", "pk")
