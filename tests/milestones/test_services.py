import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from milestones import services
from milestones.models import Activity, AdvisoryMeeting, MeetingAttendance, Precision, Rsvp, Status
from tests.milestones.factories import (
    ActivityFactory,
    AdvisoryMeetingFactory,
    AdvisoryMemberFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db


def test_month_precision_date_cannot_carry_an_invented_day():
    with pytest.raises(ValidationError, match="first of that month"):
        ActivityFactory(starts_on=datetime.date(2022, 6, 15), starts_precision=Precision.MONTH)


def test_database_refuses_an_invented_day_even_past_the_service():
    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(starts_on=datetime.date(2030, 6, 15))


def test_end_before_start_is_refused():
    with pytest.raises(ValidationError, match="cannot be before the start"):
        ActivityFactory(starts_on=datetime.date(2022, 6, 1), ends_on=datetime.date(2022, 5, 1))


def test_titles_that_repeat_get_distinct_addresses():
    first = ActivityFactory(title="Advisory Group Meeting")
    second = ActivityFactory(title="Advisory Group Meeting")
    assert first.slug == "advisory-group-meeting"
    assert second.slug == "advisory-group-meeting-2"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2021, 10, 31), Status.UPCOMING),
        (datetime.date(2021, 11, 1), Status.UNDER_WAY),
        (datetime.date(2022, 4, 30), Status.UNDER_WAY),  # a month end covers the whole month
        (datetime.date(2022, 5, 1), Status.DONE),
    ],
)
def test_status_follows_the_dates(today, expected):
    activity = ActivityFactory(
        starts_on=datetime.date(2021, 11, 1), ends_on=datetime.date(2022, 4, 1)
    )
    with time_machine.travel(datetime.datetime(*today.timetuple()[:3], 12, tzinfo=datetime.UTC)):
        assert activity.status == expected


def test_a_single_day_is_done_the_day_after():
    activity = ActivityFactory(
        starts_on=datetime.date(2023, 11, 21), starts_precision=Precision.DAY
    )
    with time_machine.travel(datetime.datetime(2023, 11, 21, 12, tzinfo=datetime.UTC)):
        assert activity.status == Status.UNDER_WAY
    with time_machine.travel(datetime.datetime(2023, 11, 22, 12, tzinfo=datetime.UTC)):
        assert activity.status == Status.DONE


def test_staff_can_set_the_status_by_hand():
    activity = ActivityFactory(starts_on=datetime.date(2020, 1, 1))
    services.activity_update(activity=activity, status_override=Status.UNDER_WAY)
    assert activity.status == Status.UNDER_WAY


def test_update_replaces_bullets_and_partners_but_keeps_the_address():
    activity = ActivityFactory(title="Old title")
    services.activity_update(activity=activity, title="New title", deliverables=["Only one"])
    activity.refresh_from_db()
    assert activity.title == "New title"
    assert activity.slug == "old-title"
    assert [d.text for d in activity.deliverables.all()] == ["Only one"]


def test_update_refuses_fields_that_are_not_editable():
    activity = ActivityFactory()
    with pytest.raises(TypeError, match="source_key"):
        services.activity_update(activity=activity, source_key="x")


def test_moving_a_meeting_bumps_its_calendar_sequence_but_minutes_do_not():
    meeting = AdvisoryMeetingFactory()
    services.meeting_update(meeting=meeting, minutes="Notes")
    assert meeting.sequence == 0
    services.meeting_update(
        meeting=meeting,
        starts_at=meeting.starts_at + datetime.timedelta(hours=1),
        ends_at=meeting.ends_at + datetime.timedelta(hours=1),
    )
    assert meeting.sequence == 1
    services.meeting_update(meeting=meeting, location="Online only")
    assert meeting.sequence == 2


def test_cancelling_twice_counts_once():
    meeting = AdvisoryMeetingFactory()
    services.meeting_cancel(meeting=meeting)
    services.meeting_cancel(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert meeting.sequence == 1


def test_an_edit_from_a_copy_read_before_a_cancellation_keeps_it_cancelled():
    """Two staff at once: one cancels while the other's edit is on its way."""
    meeting = AdvisoryMeetingFactory()
    read_before = AdvisoryMeeting.objects.get(pk=meeting.pk)
    services.meeting_cancel(meeting=meeting)

    services.meeting_update(meeting=read_before, agenda="1. Welcome\n2. Evidence so far")

    stored = AdvisoryMeeting.objects.get(pk=meeting.pk)
    assert stored.is_cancelled
    assert stored.sequence == 1
    assert stored.agenda == "1. Welcome\n2. Evidence so far"
    assert read_before.is_cancelled


def test_meeting_must_end_after_it_starts():
    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError, match="end after it starts"):
        AdvisoryMeetingFactory(starts_at=start, ends_at=start)


def test_changing_invitees_keeps_replies_of_those_still_invited():
    ada, ben, cy = AdvisoryMemberFactory.create_batch(3)
    meeting = AdvisoryMeetingFactory(members=[ada, ben])
    services.meeting_rsvp(meeting=meeting, member=ada, rsvp=Rsvp.YES)

    services.meeting_set_invitees(meeting=meeting, members=[ada, cy])

    replies = dict(meeting.attendance.values_list("member__name", "rsvp"))
    assert replies == {ada.name: Rsvp.YES, cy.name: Rsvp.NO_REPLY}


def test_an_invitee_cannot_be_added_twice_to_a_meeting():
    ada = AdvisoryMemberFactory()
    meeting = AdvisoryMeetingFactory(members=[ada])
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingAttendance.objects.create(meeting=meeting, member=ada)


def test_rsvp_is_closed_for_cancelled_and_ended_meetings():
    ada = AdvisoryMemberFactory()
    cancelled = AdvisoryMeetingFactory(members=[ada])
    services.meeting_cancel(meeting=cancelled)
    with pytest.raises(services.MeetingClosed):
        services.meeting_rsvp(meeting=cancelled, member=ada, rsvp=Rsvp.YES)

    # Under way, a reply is still news ("running late, cannot come"); once over, it is not.
    started = AdvisoryMeetingFactory(
        members=[ada],
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert services.meeting_rsvp(meeting=started, member=ada, rsvp=Rsvp.NO).rsvp == Rsvp.NO
    ended = AdvisoryMeetingFactory(
        members=[ada],
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    with pytest.raises(services.MeetingClosed):
        services.meeting_rsvp(meeting=ended, member=ada, rsvp=Rsvp.YES)


def test_attendance_is_recorded_for_every_invitee():
    ada, ben = AdvisoryMemberFactory.create_batch(2)
    meeting = AdvisoryMeetingFactory(members=[ada, ben])
    services.meeting_record_attendance(meeting=meeting, attended_member_ids={ada.pk})
    assert dict(meeting.attendance.values_list("member_id", "attended")) == {
        ada.pk: True,
        ben.pk: False,
    }


def test_workstream_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    workstream = WorkstreamFactory()
    ActivityFactory(workstream=workstream)
    with pytest.raises(ProtectedError):
        workstream.delete()


LONG_LINK = "https://example.org/papers/" + "a" * 200


def test_a_failed_meeting_edit_changes_nothing():
    ada, ben = AdvisoryMemberFactory.create_batch(2)
    meeting = AdvisoryMeetingFactory(
        members=[ada], papers=[("Progress report", "https://example.org/progress.pdf")]
    )

    with pytest.raises(ValidationError) as refused:
        services.meeting_update(
            meeting=meeting,
            title="Moved meeting",
            location="Online",
            members=[ada, ben],
            papers=[("Too long", LONG_LINK)],
        )

    assert refused.value.message_dict == {
        "papers": ["Paper 1: Ensure this value has at most 200 characters (it has 227)."]
    }
    meeting.refresh_from_db()
    assert (meeting.title, meeting.location, meeting.sequence) == (
        "Advisory Group Meeting",
        "Hackney Town Hall",
        0,
    )
    assert [p.title for p in meeting.papers.all()] == ["Progress report"]
    assert list(meeting.attendance.values_list("member", flat=True)) == [ada.pk]


def test_a_meeting_with_a_bad_paper_is_not_scheduled():
    with pytest.raises(ValidationError, match="Paper 2"):
        AdvisoryMeetingFactory(
            papers=[("Fine", "https://example.org/fine.pdf"), ("Too long", LONG_LINK)]
        )
    assert not AdvisoryMeeting.objects.exists()


def test_minutes_and_attendance_are_saved_together_or_not_at_all():
    meeting = AdvisoryMeetingFactory(members=[AdvisoryMemberFactory()])

    with pytest.raises(ValueError, match="expected a number"):
        services.meeting_record_minutes(
            meeting=meeting,
            minutes="Agreed the plan.",
            minutes_published=True,
            attended_member_ids={"not a member"},
        )

    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.minutes_published) == ("", False)


def test_the_calendar_uid_does_not_follow_the_address():
    activity = ActivityFactory(title="Careers fair")
    uid = activity.calendar_uid

    Activity.objects.filter(pk=activity.pk).update(slug="jobs-fair")

    activity.refresh_from_db()
    assert activity.calendar_uid == uid
    assert "careers-fair" not in uid  # made up, not taken from the address
