"""Every write to the roadmap goes through here."""

import dataclasses
import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import dates
from .models import (
    Activity,
    AdvisoryMeeting,
    AdvisoryMember,
    Deliverable,
    MeetingAttendance,
    MeetingPaper,
    Partner,
    Rsvp,
    Workstream,
)

ROADMAP_DATA = Path(__file__).resolve().parent / "data" / "roadmap.json"


@dataclasses.dataclass
class LoadReport:
    workstreams_created: int = 0
    partners_created: int = 0
    activities_created: int = 0
    activities_kept: int = 0


def roadmap_load(*, data: dict | None = None) -> LoadReport:
    """Load the commission's roadmap (``data/roadmap.json`` unless ``data`` is given).

    Idempotent: a row already present (matched by its source key) is left exactly as it
    is, so running it again changes nothing and never overwrites what staff have edited.
    """
    if data is None:
        data = json.loads(ROADMAP_DATA.read_text(encoding="utf-8"))
    report = LoadReport()
    with transaction.atomic():
        workstreams = {}
        for position, row in enumerate(data["workstreams"]):
            workstream, created = Workstream.objects.get_or_create(
                slug=row["key"],
                defaults={
                    "name": row["name"],
                    "description": row.get("description", ""),
                    "position": position,
                },
            )
            workstreams[row["key"]] = workstream
            report.workstreams_created += created

        existing = set(
            Activity.objects.filter(source_key__isnull=False).values_list("source_key", flat=True)
        )
        for row in data["activities"]:
            if row["key"] in existing:
                report.activities_kept += 1
                continue
            partners = []
            for name in row["partners"]:
                partner, created = Partner.objects.get_or_create(name=name)
                partners.append(partner)
                report.partners_created += created
            starts_on, starts_precision = dates.parse(row["starts"])
            ends_on, ends_precision = dates.parse(row["ends"]) if row["ends"] else (None, "month")
            activity_create(
                workstream=workstreams[row["workstream"]],
                kind=row["kind"],
                title=row["title"],
                # The source key as address, unless staff already use it for another.
                slug=row["key"] if not Activity.objects.filter(slug=row["key"]).exists() else "",
                source_key=row["key"],
                starts_on=starts_on,
                starts_precision=starts_precision,
                ends_on=ends_on,
                ends_precision=ends_precision,
                deliverables=row["deliverables"],
                partners=partners,
            )
            report.activities_created += 1
    return report


RESERVED_SLUGS = {"new", "calendar.ics", "meetings"}  # paths of other roadmap pages


def _unique_slug(title: str) -> str:
    base = slugify(title)[:190] or "activity"
    taken = set(Activity.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_deliverables(activity: Activity, texts: list[str]) -> None:
    activity.deliverables.all().delete()
    Deliverable.objects.bulk_create(
        Deliverable(activity=activity, text=text.strip(), position=i)
        for i, text in enumerate(t for t in texts if t.strip())
    )


def activity_create(
    *,
    workstream: Workstream,
    kind: str,
    title: str,
    starts_on: datetime.date,
    starts_precision: str,
    ends_on: datetime.date | None = None,
    ends_precision: str = "month",
    description: str = "",
    deliverables: list[str] = (),
    partners: list[Partner] = (),
    status_override: str = "",
    is_public: bool = True,
    questionnaire_url: str = "",
    results_url: str = "",
    slug: str = "",
    source_key: str | None = None,
) -> Activity:
    """Add an activity to the roadmap, with its bullet points and partners."""
    activity = Activity(
        workstream=workstream,
        kind=kind,
        title=title,
        slug=slug or _unique_slug(title),
        description=description,
        starts_on=starts_on,
        starts_precision=starts_precision,
        ends_on=ends_on,
        ends_precision=ends_precision,
        status_override=status_override,
        is_public=is_public,
        questionnaire_url=questionnaire_url,
        results_url=results_url,
        source_key=source_key,
    )
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        activity.partners.set(partners)
        _set_deliverables(activity, list(deliverables))
    return activity


ACTIVITY_EDITABLE_FIELDS = (
    "workstream",
    "kind",
    "title",
    "description",
    "starts_on",
    "starts_precision",
    "ends_on",
    "ends_precision",
    "status_override",
    "is_public",
    "questionnaire_url",
    "results_url",
)


def activity_update(
    *,
    activity: Activity,
    deliverables: list[str] | None = None,
    partners: list[Partner] | None = None,
    **fields,
) -> Activity:
    """Change an activity. Only the fields passed change; the slug (its address) stays."""
    unknown = set(fields) - set(ACTIVITY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.full_clean()
    with transaction.atomic():
        activity.save()
        if partners is not None:
            activity.partners.set(partners)
        if deliverables is not None:
            _set_deliverables(activity, deliverables)
    return activity


MEETING_SCHEDULE_FIELDS = ("starts_at", "ends_at", "location", "online_url")
MEETING_EDITABLE_FIELDS = (
    *MEETING_SCHEDULE_FIELDS,
    "activity",
    "title",
    "agenda",
    "minutes",
    "minutes_published",
)


def meeting_create(
    *,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    online_url: str = "",
    agenda: str = "",
    activity: Activity | None = None,
    members: list[AdvisoryMember] = (),
    papers: list[tuple[str, str]] = (),
) -> AdvisoryMeeting:
    """Schedule an advisory group meeting and invite ``members`` to it."""
    meeting = AdvisoryMeeting(
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        agenda=agenda,
        activity=activity,
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        meeting_set_invitees(meeting=meeting, members=members)
        meeting_set_papers(meeting=meeting, papers=papers)
    return meeting


def meeting_update(*, meeting: AdvisoryMeeting, **fields) -> AdvisoryMeeting:
    """Change a meeting. A new time or place bumps its calendar SEQUENCE so that calendar
    programs replace the old entry rather than add a second one."""
    unknown = set(fields) - set(MEETING_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    rescheduled = any(
        getattr(meeting, name) != value
        for name, value in fields.items()
        if name in MEETING_SCHEDULE_FIELDS
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    if rescheduled:
        meeting.sequence += 1
    meeting.full_clean()
    meeting.save()
    return meeting


def meeting_cancel(*, meeting: AdvisoryMeeting) -> AdvisoryMeeting:
    """Cancel a meeting. It stays on record, marked cancelled."""
    if not meeting.is_cancelled:
        meeting.is_cancelled = True
        meeting.sequence += 1
        meeting.save(update_fields=["is_cancelled", "sequence"])
    return meeting


def meeting_set_invitees(*, meeting: AdvisoryMeeting, members: list[AdvisoryMember]) -> None:
    """Invite exactly ``members``: new ones are added, replies of those kept stay as they were."""
    wanted = {member.pk for member in members}
    with transaction.atomic():
        meeting.attendance.exclude(member_id__in=wanted).delete()
        present = set(meeting.attendance.values_list("member_id", flat=True))
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(meeting=meeting, member_id=pk) for pk in wanted - present
        )


def meeting_set_papers(*, meeting: AdvisoryMeeting, papers: list[tuple[str, str]]) -> None:
    """Replace the meeting's papers with ``papers``, a list of (title, link)."""
    with transaction.atomic():
        meeting.papers.all().delete()
        MeetingPaper.objects.bulk_create(
            MeetingPaper(meeting=meeting, title=title, url=url, position=i)
            for i, (title, url) in enumerate(papers)
        )


def meeting_record_attendance(*, meeting: AdvisoryMeeting, attended_member_ids: set[int]) -> None:
    """Record who came: every invitee is marked as attended or not."""
    with transaction.atomic():
        meeting.attendance.filter(member_id__in=attended_member_ids).update(attended=True)
        meeting.attendance.exclude(member_id__in=attended_member_ids).update(attended=False)


def meeting_rsvp(
    *, meeting: AdvisoryMeeting, member: AdvisoryMember, rsvp: str
) -> MeetingAttendance:
    """An invited member replies, until the meeting starts, unless it is cancelled."""
    if meeting.is_cancelled:
        raise MeetingClosed(_("This meeting has been cancelled."))
    if meeting.starts_at <= timezone.now():
        raise MeetingClosed(_("This meeting has already started."))
    attendance = MeetingAttendance.objects.get(meeting=meeting, member=member)
    attendance.rsvp = Rsvp(rsvp)
    attendance.replied_at = timezone.now()
    attendance.save(update_fields=["rsvp", "replied_at"])
    return attendance


class MeetingClosed(Exception):
    pass


ADVISORY_MEMBER_FIELDS = ("name", "email", "organisation", "role", "is_active")


def advisory_member_save(*, member: AdvisoryMember | None = None, **fields) -> AdvisoryMember:
    """Add a member to the advisory group, or change one (``member`` given)."""
    unknown = set(fields) - set(ADVISORY_MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    member = member or AdvisoryMember()
    for name, value in fields.items():
        setattr(member, name, value)
    member.email = member.email.lower()
    # The member replies to invitations from the portal account with this email, if its
    # owner has verified it.
    member.user = (
        get_user_model()
        .objects.filter(emailaddress__email__iexact=member.email, emailaddress__verified=True)
        .first()
    )
    member.full_clean()
    member.save()
    return member
