"""Every write to the roadmap goes through here."""

import dataclasses
import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.audit import audited_update
from common.services import check_editable, model_update
from notifications import reminders

from . import dates
from .models import (
    RESERVED_SLUGS,
    Activity,
    AdvisoryMeeting,
    AdvisoryMember,
    Deliverable,
    LoadedRoadmapRow,
    MeetingAttendance,
    MeetingPaper,
    Partner,
    Rsvp,
    Workstream,
    new_calendar_uid,
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

    Idempotent: each row is loaded once, ever. A row loaded before is skipped whether staff
    have since edited the activity it became or deleted it, so running it again changes
    nothing and never overwrites, or brings back, what staff have done.
    """
    if data is None:
        data = json.loads(ROADMAP_DATA.read_text(encoding="utf-8"))
    report = LoadReport()
    with transaction.atomic():
        loaded = set(LoadedRoadmapRow.objects.values_list("key", flat=True))
        to_load = [row for row in data["activities"] if row["key"] not in loaded]
        report.activities_kept = len(data["activities"]) - len(to_load)
        # Workstreams are looked up only for rows still to load, so one staff have
        # removed is not added back for rows already loaded.
        workstream_rows = {
            row["key"]: (position, row) for position, row in enumerate(data["workstreams"])
        }
        workstreams = {}
        for row in to_load:
            if row["workstream"] not in workstreams:
                position, workstream_row = workstream_rows[row["workstream"]]
                workstream, created = _roadmap_workstream(workstream_row, position=position)
                workstreams[row["workstream"]] = workstream
                report.workstreams_created += created
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
            LoadedRoadmapRow.objects.create(key=row["key"])
            report.activities_created += 1
    return report


def _roadmap_workstream(row: dict, *, position: int) -> tuple[Workstream, bool]:
    """The workstream for a workstream row of the document: the one loaded from it before,
    else one with its name (found by name, staff may have changed its address), else a
    new one. Returns it and whether it is new."""
    workstream = Workstream.objects.filter(source_key=row["key"]).first()
    if workstream is None:
        workstream = Workstream.objects.filter(name=row["name"]).first()
        if workstream is not None and workstream.source_key is None:
            workstream.source_key = row["key"]
            workstream.save(update_fields=["source_key"])
    if workstream is not None:
        return workstream, False
    taken = Workstream.objects.filter(slug=row["key"]).exists()
    workstream = Workstream(
        name=row["name"],
        slug=_unique_slug(Workstream, row["name"]) if taken else row["key"],
        description=row.get("description", ""),
        position=position,
        source_key=row["key"],
    )
    workstream.full_clean()
    workstream.save()
    return workstream, True


def _unique_slug(model, text: str) -> str:
    """An address made from ``text`` that no row of ``model`` has and no page needs."""
    base = slugify(text)[:190] or model._meta.model_name
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _calendar_uid(source_key: str | None) -> str:
    """A loaded row's calendar UID comes from its source key, so that a database built
    afresh from the roadmap file gives subscribers the same events; any other activity's
    is random. Neither depends on the address, which staff may change."""
    if source_key:
        uid = f"activity-{source_key}"
        if not Activity.objects.filter(calendar_uid=uid).exists():
            return uid
    return new_calendar_uid()


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
        slug=slug or _unique_slug(Activity, title),
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
        calendar_uid=_calendar_uid(source_key),
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
    model_update(activity, fields, editable=ACTIVITY_EDITABLE_FIELDS, save=False)
    with transaction.atomic():
        activity.save()
        if partners is not None:
            activity.partners.set(partners)
        if deliverables is not None:
            _set_deliverables(activity, deliverables)
    return activity


MEETING_EDITABLE_FIELDS = (
    *reminders.SCHEDULE_FIELDS,
    "activity",
    "title",
    "agenda",
    "minutes",
    "minutes_published",
    "papers_published",
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
    paper_rows = _checked_papers(papers)
    with transaction.atomic():
        meeting.save()
        meeting_set_invitees(meeting=meeting, members=members)
        _replace_papers(meeting, paper_rows)
    return meeting


def meeting_update(
    *,
    meeting: AdvisoryMeeting,
    members: list[AdvisoryMember] | None = None,
    papers: list[tuple[str, str]] | None = None,
    **fields,
) -> AdvisoryMeeting:
    """Change a meeting, and its invitees and papers when given, all or nothing. A new
    time or place bumps its calendar SEQUENCE so that calendar programs replace the old
    entry rather than add a second one, and everyone invited is sent the change."""
    check_editable(fields, MEETING_EDITABLE_FIELDS)
    paper_rows = None if papers is None else _checked_papers(papers)
    with transaction.atomic():
        reminders.occurrence_change(AdvisoryMeeting, meeting.pk, fields)
        meeting.refresh_from_db()
        if members is not None:
            meeting_set_invitees(meeting=meeting, members=members)
        if paper_rows is not None:
            _replace_papers(meeting, paper_rows)
    return meeting


def meeting_cancel(*, meeting: AdvisoryMeeting) -> AdvisoryMeeting:
    """Cancel a meeting. It stays on record, marked cancelled."""
    stored = reminders.occurrence_cancel(AdvisoryMeeting, meeting.pk)
    meeting.is_cancelled, meeting.sequence = stored.is_cancelled, stored.sequence
    return meeting


def meeting_set_invitees(*, meeting: AdvisoryMeeting, members: list[AdvisoryMember]) -> None:
    """Invite exactly ``members``: new ones are added and sent an invitation, those taken
    off are sent a calendar cancellation, replies of those kept stay as they were."""
    wanted = {member.pk: member for member in members}
    with transaction.atomic():
        leaving = meeting.attendance.exclude(member_id__in=wanted).select_related("member")
        gone = [attendance.member.email for attendance in leaving]
        leaving.delete()
        present = set(meeting.attendance.values_list("member_id", flat=True))
        added = MeetingAttendance.objects.bulk_create(
            MeetingAttendance(meeting=meeting, member=member)
            for pk, member in wanted.items()
            if pk not in present
        )
        meeting_invitations_changed(meeting=meeting, added=added, removed=gone)


def meeting_invitations_changed(
    *, meeting: AdvisoryMeeting, added: list[MeetingAttendance], removed: list[str]
) -> None:
    """Send an invitation to each of ``added`` (invitations just made, their members
    loaded) and a calendar cancellation to each address in ``removed`` (invitees taken
    off), unless the meeting is cancelled. For every way invitees change: the staff pages
    and the admin's inline alike."""
    if meeting.is_cancelled:
        return
    reminders.invite(
        AdvisoryMeeting,
        meeting.pk,
        [(a.member.email, f"{a.invited_at:%Y%m%dT%H%M%S.%f}") for a in added],
    )
    reminders.uninvite(AdvisoryMeeting, meeting.pk, removed)


def _checked_papers(papers: list[tuple[str, str]]) -> list[MeetingPaper]:
    """``papers``, a list of (title, link), as meeting papers checked as the model
    requires, before anything is written: ``bulk_create`` checks nothing, and PostgreSQL
    refuses a link too long for its column with an error page."""
    rows, problems = [], []
    for position, (title, url) in enumerate(papers):
        paper = MeetingPaper(title=title, url=url, position=position)
        try:
            paper.full_clean(exclude=["meeting"])
        except ValidationError as error:
            problems += [
                _("Paper %(number)s: %(problem)s") % {"number": position + 1, "problem": problem}
                for problem in error.messages
            ]
        rows.append(paper)
    if problems:
        raise ValidationError({"papers": problems})
    return rows


def _replace_papers(meeting: AdvisoryMeeting, paper_rows: list[MeetingPaper]) -> None:
    """Replace the meeting's linked papers (the uploaded ones stay)."""
    meeting.papers.filter(file="").delete()
    for paper in paper_rows:
        paper.meeting = meeting
    MeetingPaper.objects.bulk_create(paper_rows)


def paper_upload(*, meeting: AdvisoryMeeting, title: str, file) -> MeetingPaper:
    """Add an uploaded paper to a meeting: a PDF, DOCX, ODT or XLSX file (its kind read
    from its content), no larger than ``UPLOAD_MAX_BYTES``, stored through Django's
    storage under a name of the portal's choosing. Private to invitees and staff until the
    papers (or the minutes) are published."""
    last = meeting.papers.order_by("-position").values_list("position", flat=True).first()
    paper = MeetingPaper(meeting=meeting, title=title, file=file, position=(last or 0) + 1)
    paper.full_clean()
    try:
        with transaction.atomic():
            paper.save()  # stores the file, then writes the row
    except Exception:
        # The row was not written: the stored file would be left behind, unreachable.
        if paper.file.name:
            paper.file.storage.delete(paper.file.name)
        raise
    return paper


def paper_remove(*, paper: MeetingPaper) -> None:
    """Remove a paper; an uploaded file leaves the storage once that commits
    (``milestones.signals``, so that the admin's deletions do the same)."""
    paper.delete()


def meeting_publish_papers(*, meeting: AdvisoryMeeting, published: bool) -> AdvisoryMeeting:
    """Show the meeting's papers to everyone, or keep them to invitees and staff again."""
    return meeting_update(meeting=meeting, papers_published=published)


def meeting_record_minutes(
    *,
    meeting: AdvisoryMeeting,
    minutes: str,
    minutes_published: bool,
    attended_member_ids: set[int],
) -> AdvisoryMeeting:
    """Record the minutes of a meeting and who came, together."""
    with transaction.atomic():
        meeting_update(meeting=meeting, minutes=minutes, minutes_published=minutes_published)
        meeting_record_attendance(meeting=meeting, attended_member_ids=attended_member_ids)
    return meeting


def meeting_record_attendance(*, meeting: AdvisoryMeeting, attended_member_ids: set[int]) -> None:
    """Record who came: every invitee is marked as attended or not."""
    attendance = meeting.attendance.select_related("member", "meeting")
    with transaction.atomic():
        audited_update(attendance.filter(member_id__in=attended_member_ids), attended=True)
        audited_update(attendance.exclude(member_id__in=attended_member_ids), attended=False)


def meeting_rsvp(
    *, meeting: AdvisoryMeeting, member: AdvisoryMember, rsvp: str
) -> MeetingAttendance:
    """An invited member replies (yes, no or maybe), until the meeting ends, unless it is
    cancelled: from the meeting's page, signed in, or through their invitation's links."""
    if meeting.is_cancelled:
        raise MeetingClosed(_("This meeting has been cancelled."))
    if meeting.ends_at <= timezone.now():
        raise MeetingClosed(_("This meeting has already taken place."))
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
    check_editable(fields, ADVISORY_MEMBER_FIELDS)
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
