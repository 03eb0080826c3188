import datetime
import json
import re

import icalendar
import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from milestones import services
from milestones.models import (
    Activity,
    AdvisoryMeeting,
    AdvisoryMember,
    LoadedRoadmapRow,
    Precision,
    Rsvp,
)
from tests.milestones.factories import (
    ActivityFactory,
    AdvisoryMeetingFactory,
    AdvisoryMemberFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap(db):
    services.roadmap_load()
    return Activity.objects.all()


def test_roadmap_shows_every_activity_grouped_by_year(client, roadmap):
    response = client.get(reverse("milestones:roadmap"))

    html = response.content.decode()
    assert response.status_code == 200
    for year in range(2020, 2025):
        assert f'<h3 id="year-{year}"' in html
    for activity in roadmap:
        assert activity.get_absolute_url() in html
    assert html.count('class="timeline-item"') == 16


def test_roadmap_dates_read_as_given(client, roadmap):
    html = client.get(reverse("milestones:roadmap")).content.decode()

    assert (
        '<time datetime="2020-11">November 2020</time> to '
        '<time datetime="2021-01">January 2021</time>'
    ) in html
    assert '<time datetime="2023-11-21">21 November 2023</time>' in html
    # No day is invented for a month-precision date.
    assert "1 November 2020" not in html


def test_roadmap_shows_status_in_words(client, roadmap):
    html = client.get(reverse("milestones:roadmap")).content.decode()
    assert "16 done, 0 under way, 0 upcoming." in html
    assert html.count('<strong class="govuk-tag govuk-tag--green">Done</strong>') == 16


def test_roadmap_query_count_does_not_grow_with_activities(
    client, roadmap, django_assert_num_queries
):
    # The revision and when the page may next change by itself (the next meeting,
    # consultation and survey opening or closing); then, as nothing is kept ready yet,
    # activities, deliverables, partners, upcoming meetings and events.
    with django_assert_num_queries(9) as few:
        client.get(reverse("milestones:roadmap"))
    workstream = WorkstreamFactory()
    for n in range(40):
        ActivityFactory(workstream=workstream, starts_on=datetime.date(2025 + n % 5, 1 + n % 12, 1))
    AdvisoryMeetingFactory.create_batch(3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("milestones:roadmap"))
    assert response.content.decode().count('class="timeline-item"') == 56


def test_upcoming_events_list_future_meetings_and_events_only(client, roadmap):
    AdvisoryMeetingFactory(title="Spring advisory meeting")
    AdvisoryMeetingFactory(
        title="Last year's meeting", starts_at=timezone.now() - datetime.timedelta(days=300)
    )
    cancelled = AdvisoryMeetingFactory(title="Cancelled meeting")
    services.meeting_cancel(meeting=cancelled)
    ActivityFactory(title="Showcase next month", starts_on=timezone.localdate().replace(day=1))

    response = client.get(reverse("milestones:roadmap"))

    upcoming = [e.title for e in response.context["upcoming"]]
    assert upcoming == ["Showcase next month", "Spring advisory meeting"]


def test_activity_page_shows_bullets_partners_and_dates(client, roadmap):
    response = client.get(
        reverse("milestones:activity_detail", args=["london-tech-week-event-2024"])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">London Tech Week Event</h1>' in html
    assert "Delivered in Partnership with LIFT" in html
    assert "Here East, LIFT" in html
    assert '<time datetime="2024-06">June 2024</time>' in html


def test_hidden_and_unknown_activities_are_not_found(client, roadmap):
    summit = Activity.objects.get(slug="anti-racist-summit-2023-partnerships-day")
    services.activity_update(activity=summit, is_public=False)

    assert client.get(summit.get_absolute_url()).status_code == 404
    assert client.get("/roadmap/no-such-activity/").status_code == 404
    assert summit.title not in client.get(reverse("milestones:roadmap")).content.decode()


def test_calendar_is_valid_icalendar_with_one_event_per_dated_entry(client, roadmap):
    meeting = AdvisoryMeetingFactory(location="Hackney Town Hall")

    response = client.get(reverse("milestones:calendar"))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 17
    assert len({str(e["UID"]) for e in events}) == 17
    assert all("DTSTAMP" in e for e in events)
    by_summary = {str(e["SUMMARY"]): e for e in events}

    analysis = by_summary["Data analysis"]
    assert analysis.decoded("DTSTART") == datetime.date(2020, 11, 1)
    assert analysis.decoded("DTEND") == datetime.date(2021, 2, 1)  # exclusive: all of January

    summit = by_summary["Anti Racist Summit 2023: Partnerships Day Event"]
    assert summit.decoded("DTSTART") == datetime.date(2023, 11, 21)
    assert summit.decoded("DTEND") == datetime.date(2023, 11, 22)

    timed = by_summary[meeting.title]
    assert timed.decoded("DTSTART") == meeting.starts_at
    assert timed.decoded("DTEND") == meeting.ends_at
    assert str(timed["LOCATION"]) == "Hackney Town Hall"
    assert int(timed["SEQUENCE"]) == 0


def test_calendar_uids_stay_the_same_between_downloads(client, roadmap):
    def uids():
        calendar = icalendar.Calendar.from_ical(client.get(reverse("milestones:calendar")).content)
        return sorted(str(e["UID"]) for e in calendar.walk("VEVENT"))

    assert uids() == uids()


def test_calendar_query_count_is_fixed(client, roadmap, django_assert_max_num_queries):
    AdvisoryMeetingFactory.create_batch(5)
    with django_assert_max_num_queries(4):
        client.get(reverse("milestones:calendar"))


def test_json_export_keeps_the_precision(client, roadmap):
    response = client.get(reverse("milestones:roadmap_json"))

    data = json.loads(response.content)
    assert len(data["activities"]) == 16
    first = data["activities"][0]
    assert first["title"] == "Data analysis"
    assert (first["starts"], first["starts_precision"]) == ("2020-11", "month")
    assert (first["ends"], first["ends_precision"]) == ("2021-01", "month")
    assert first["dates"] == "November 2020 to January 2021"
    assert first["deliverables"] == [
        "Identify STEM economic opportunity in Hackney",
        "Digital tech identified as most relevant sub-sector",
    ]
    summit = next(a for a in data["activities"] if a["slug"].startswith("anti-racist"))
    assert (summit["starts"], summit["starts_precision"], summit["ends"]) == (
        "2023-11-21",
        "day",
        None,
    )
    assert summit["url"].endswith("/roadmap/anti-racist-summit-2023-partnerships-day/")


# Staff pages: who may, and everyone who may not.

STAFF_PAGES = [
    ("milestones:staff_roadmap", []),
    ("milestones:activity_create", []),
    ("milestones:meeting_create", []),
    ("milestones:advisory_members", []),
    ("milestones:advisory_member_create", []),
]


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_staff_pages_are_for_commission_staff_and_admins(
    client_for, name, args, member, coordinator, commission_staff, admin
):
    url = reverse(name, args=args)

    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert client_for(member).get(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(commission_staff).get(url).status_code == 200
    assert client_for(admin).get(url).status_code == 200


def test_staff_without_mfa_are_sent_to_set_it_up(client_for, staff_without_mfa):
    response = client_for(staff_without_mfa).get(reverse("milestones:staff_roadmap"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") + "?next=%2Fstaff%2Froadmap%2F"


def test_staff_add_an_activity_known_only_to_the_month(client_for, commission_staff):
    workstream = WorkstreamFactory()
    client = client_for(commission_staff)

    response = client.post(
        reverse("milestones:activity_create"),
        {
            "title": "Apprenticeship fair",
            "workstream": workstream.pk,
            "kind": "event",
            "starts_day": "",
            "starts_month": "3",
            "starts_year": "2027",
            "deliverables": "Ten employers\n\nA hundred residents\n",
            "is_public": "on",
        },
    )

    assert response.status_code == 302
    activity = Activity.objects.get(title="Apprenticeship fair")
    assert (activity.starts_on, activity.starts_precision) == (
        datetime.date(2027, 3, 1),
        Precision.MONTH,
    )
    assert activity.ends_on is None
    assert [d.text for d in activity.deliverables.all()] == ["Ten employers", "A hundred residents"]
    page = client.get(activity.get_absolute_url()).content.decode()
    assert '<time datetime="2027-03">March 2027</time>' in page


def test_bad_activity_input_is_explained_and_nothing_typed_is_lost(client_for, commission_staff):
    workstream = WorkstreamFactory()

    response = client_for(commission_staff).post(
        reverse("milestones:activity_create"),
        {
            "title": "Careers evening",
            "workstream": workstream.pk,
            "kind": "event",
            "starts_day": "31",
            "starts_month": "2",
            "starts_year": "2027",
            "ends_day": "",
            "ends_month": "1",
            "ends_year": "",
            "deliverables": "Keep this bullet",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert Activity.objects.count() == 0
    assert "There is a problem" in html
    assert '<a href="#id_starts_0">Enter a real date.</a>' in html
    assert "Enter a month and a year." in html
    assert 'value="Careers evening"' in html
    assert "Keep this bullet</textarea>" in html


def test_staff_edit_an_activity(client_for, commission_staff):
    services.roadmap_load()
    client = client_for(commission_staff)
    url = reverse("milestones:activity_edit", args=["cabinet-paper"])

    form = client.get(url)
    page = form.content.decode()
    # The month and year as they are, and no day: the source gives none.
    assert re.search(r'<option value="7" selected>July</option>', page)
    assert re.search(r'name="starts_year" value="2021"', page)
    assert not re.search(r'name="starts_day" value=', page)

    activity = Activity.objects.get(slug="cabinet-paper")
    response = client.post(
        url,
        {
            "title": "Cabinet paper agreed",
            "workstream": activity.workstream_id,
            "kind": "paper",
            "starts_day": "21",
            "starts_month": "7",
            "starts_year": "2021",
            "status_override": "done",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Cabinet paper agreed"
    assert (activity.starts_on, activity.starts_precision) == (datetime.date(2021, 7, 21), "day")


def test_staff_schedule_a_meeting_with_papers_and_invitees(client_for, commission_staff):
    ada, ben = AdvisoryMemberFactory.create_batch(2)
    response = client_for(commission_staff).post(
        reverse("milestones:meeting_create"),
        {
            "title": "Advisory Group Meeting",
            "starts_at": "2027-01-20T14:00",
            "ends_at": "2027-01-20T16:00",
            "location": "Hackney Town Hall",
            "agenda": "1. Welcome",
            "papers": "Progress report | https://example.org/progress.pdf",
            "members": [ada.pk, ben.pk],
        },
    )

    assert response.status_code == 302
    meeting = AdvisoryMeeting.objects.get()
    assert timezone.localtime(meeting.starts_at).hour == 14  # London time, as typed
    assert [(p.title, p.url) for p in meeting.papers.all()] == [
        ("Progress report", "https://example.org/progress.pdf")
    ]
    assert meeting.attendance.count() == 2


def test_meeting_form_explains_each_problem(client_for, commission_staff):
    response = client_for(commission_staff).post(
        reverse("milestones:meeting_create"),
        {
            "title": "Advisory Group Meeting",
            "starts_at": "2027-01-20T14:00",
            "ends_at": "2027-01-20T13:00",
            "papers": "A paper without a link",
        },
    )

    errors = response.context["form"].errors
    assert errors["ends_at"] == ["The meeting must end after it starts."]
    assert errors["location"] == ["Give a place, an online meeting link, or both."]
    assert errors["papers"] == ["Line 1: write the paper's title, a vertical bar, then its link."]
    assert AdvisoryMeeting.objects.count() == 0


def test_an_empty_meeting_form_names_what_is_missing_once_each(client_for, commission_staff):
    response = client_for(commission_staff).post(
        reverse("milestones:meeting_create"), {"title": ""}
    )

    page = response.content.decode()
    for message in (
        "Enter a title for the meeting",
        "Enter the date and time the meeting starts",
        "Enter the date and time the meeting ends",
    ):
        # Once in the error summary, once beside the field.
        assert page.count(message) == 2, message
    assert "This field is required." not in page
    assert AdvisoryMeeting.objects.count() == 0


def test_staff_record_minutes_and_attendance(client, client_for, commission_staff):
    ada, ben = AdvisoryMemberFactory.create_batch(2)
    meeting = AdvisoryMeetingFactory(members=[ada, ben])

    response = client_for(commission_staff).post(
        reverse("milestones:meeting_minutes", args=[meeting.pk]),
        {"minutes": "Agreed the plan.", "minutes_published": "on", "attended": [str(ada.pk)]},
    )

    assert response.status_code == 302
    assert dict(meeting.attendance.values_list("member_id", "attended")) == {
        ada.pk: True,
        ben.pk: False,
    }
    # Recorded in bulk, and still in the audit history: who, and each invitee's change.
    recorded = {
        entry.object_repr: (entry.actor, entry.changes_dict["attended"])
        for entry in LogEntry.objects.filter(action=LogEntry.Action.UPDATE)
        if "attended" in entry.changes_dict
    }
    assert recorded == {
        f"{ada.name} – {meeting.title}": (commission_staff, ["None", "True"]),
        f"{ben.name} – {meeting.title}": (commission_staff, ["None", "False"]),
    }
    client.logout()
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "Agreed the plan." in public
    assert ada.name not in public  # the invitee list is for staff


def test_unpublished_minutes_stay_private(client, commission_staff):
    meeting = AdvisoryMeetingFactory()
    services.meeting_update(meeting=meeting, minutes="Confidential draft")
    assert "Confidential draft" not in client.get(meeting.get_absolute_url()).content.decode()


def test_staff_cancel_a_meeting(client, client_for, commission_staff):
    meeting = AdvisoryMeetingFactory()
    client_for(commission_staff).post(reverse("milestones:meeting_cancel", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert (
        "This meeting has been cancelled."
        in client.get(meeting.get_absolute_url()).content.decode()
    )


def test_cancelling_a_meeting_asks_first(client_for, commission_staff):
    meeting = AdvisoryMeetingFactory(
        title="Spring meeting", starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    staff = client_for(commission_staff)
    cancel = reverse("milestones:meeting_cancel", args=[meeting.pk])
    edit = reverse("milestones:meeting_edit", args=[meeting.pk])
    edit_page = staff.get(edit).content.decode()
    assert re.search(
        rf'<a class="govuk-button govuk-button--warning"[^>]* href="{cancel}">', edit_page
    )
    assert f'action="{cancel}"' not in edit_page  # no button that cancels at once

    html = staff.get(cancel).content.decode()

    when = timezone.localtime(meeting.starts_at).strftime("%-d %B %Y, %H:%M")
    assert (
        f'<h1 class="govuk-heading-l">Are you sure you want to cancel “Spring meeting” on '
        f"{when}?</h1>"
    ) in html
    assert "You cannot undo this" in html
    assert re.search(
        r'<button type="submit" class="govuk-button govuk-button--warning"[^>]*>'
        rf'Cancel the meeting</button>\s*<a class="govuk-link" href="{edit}">'
        "No, keep the meeting</a>",
        html,
    )
    meeting.refresh_from_db()
    assert not meeting.is_cancelled  # asking cancels nothing

    staff.post(cancel)
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert "is already cancelled" in staff.get(cancel).content.decode()
    assert f'href="{cancel}"' not in staff.get(edit).content.decode()


def test_meeting_actions_are_refused_to_everyone_but_staff(client_for, member, coordinator):
    meeting = AdvisoryMeetingFactory()
    for user in (member, coordinator):
        client = client_for(user)
        for ask in (client.get, client.post):
            assert ask(reverse("milestones:meeting_cancel", args=[meeting.pk])).status_code == 403
        assert (
            client.get(reverse("milestones:meeting_minutes", args=[meeting.pk])).status_code == 403
        )
        assert client.get(reverse("milestones:meeting_edit", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_invited_member_replies_to_a_meeting(client_for, member):
    adviser = AdvisoryMemberFactory(user=member, email=member.email)
    meeting = AdvisoryMeetingFactory(members=[adviser])
    client = client_for(member)

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Your reply so far: No reply yet." in page
    response = client.post(reverse("milestones:meeting_rsvp", args=[meeting.pk]), {"rsvp": "yes"})

    assert response.status_code == 302
    assert meeting.attendance.get().rsvp == Rsvp.YES


def test_only_invitees_can_reply(client_for, member, other_member):
    adviser = AdvisoryMemberFactory(user=member, email=member.email)
    meeting = AdvisoryMeetingFactory(members=[adviser])
    url = reverse("milestones:meeting_rsvp", args=[meeting.pk])

    assert client_for(other_member).post(url, {"rsvp": "yes"}).status_code == 404
    assert client_for(None).post(url, {"rsvp": "yes"}).status_code == 404
    assert meeting.attendance.get().rsvp == Rsvp.NO_REPLY


def test_staff_manage_the_advisory_group(client_for, commission_staff, member, coordinator):
    url = reverse("milestones:advisory_member_create")
    for user in (member, coordinator):
        assert (
            client_for(user).post(url, {"name": "X", "email": "x@example.org"}).status_code == 403
        )
    client = client_for(commission_staff)

    response = client.post(
        url,
        {
            "name": "Dr Amara Okafor",
            "email": "Amara@Example.org",
            "organisation": "Here East",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    adviser = AdvisoryMember.objects.get()
    assert adviser.email == "amara@example.org"
    listing = client.get(reverse("milestones:advisory_members")).content.decode()
    assert "Dr Amara Okafor" in listing
    duplicate = client.post(url, {"name": "Someone else", "email": "amara@example.org"})
    assert "already exists" in duplicate.content.decode()
    assert AdvisoryMember.objects.count() == 1


# Found in review.


def test_staff_without_mfa_do_not_see_who_is_invited(
    client_for, staff_without_mfa, commission_staff
):
    adviser = AdvisoryMemberFactory(name="Dr Amara Okafor")
    meeting = AdvisoryMeetingFactory(members=[adviser])
    assert (
        adviser.name
        not in client_for(staff_without_mfa).get(meeting.get_absolute_url()).content.decode()
    )
    assert (
        adviser.name
        in client_for(commission_staff).get(meeting.get_absolute_url()).content.decode()
    )


def test_the_online_link_is_for_invitees_and_staff_only(
    client, client_for, member, commission_staff
):
    adviser = AdvisoryMemberFactory(user=member, email=member.email)
    meeting = AdvisoryMeetingFactory(members=[adviser])
    meeting_services_update = services.meeting_update
    meeting_services_update(meeting=meeting, online_url="https://meet.example.org/secret-room")
    assert "secret-room" not in client.get(meeting.get_absolute_url()).content.decode()
    assert "secret-room" not in client.get(reverse("milestones:calendar")).content.decode()
    assert "secret-room" in client_for(member).get(meeting.get_absolute_url()).content.decode()
    assert (
        "secret-room"
        in client_for(commission_staff).get(meeting.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/x", "data:text/html,x"])
def test_activity_links_cannot_run_script(client_for, commission_staff, link):
    from django.core.exceptions import ValidationError

    activity = ActivityFactory()
    with pytest.raises(ValidationError):
        services.activity_update(activity=activity, questionnaire_url=link)
    services.activity_update(activity=activity, questionnaire_url="/consultation/")
    services.activity_update(activity=activity, results_url="https://example.org/findings")


def test_editing_a_meeting_keeps_invitees_who_have_left_the_group(client_for, commission_staff):
    current, former = AdvisoryMemberFactory.create_batch(2)
    meeting = AdvisoryMeetingFactory(members=[current, former])
    services.meeting_record_attendance(meeting=meeting, attended_member_ids={former.pk})
    services.advisory_member_save(member=former, is_active=False)
    client = client_for(commission_staff)
    url = reverse("milestones:meeting_edit", args=[meeting.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if k not in ("activity", "members")}
    data["starts_at"] = form.initial["starts_at"].strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = form.initial["ends_at"].strftime("%Y-%m-%dT%H:%M")
    data["members"] = form.initial["members"]
    data["agenda"] = "A new agenda"
    assert client.post(url, data).status_code == 302
    assert meeting.attendance.get(member=former).attended is True


def test_a_roadmap_entry_with_its_meeting_is_listed_once(client, roadmap):
    entry = ActivityFactory(
        title="Advisory Group Meeting",
        kind="advisory_meeting",
        starts_on=timezone.localdate().replace(day=1),
    )
    AdvisoryMeetingFactory(title="Advisory Group Meeting", activity=entry)
    upcoming = client.get(reverse("milestones:roadmap")).context["upcoming"]
    assert [e.title for e in upcoming] == ["Advisory Group Meeting"]


def test_calendar_uids_survive_a_rebuilt_database(client, roadmap):
    def uids():
        calendar = icalendar.Calendar.from_ical(client.get(reverse("milestones:calendar")).content)
        return sorted(str(e["UID"]) for e in calendar.walk("VEVENT"))

    before = uids()
    Activity.objects.all().delete()
    LoadedRoadmapRow.objects.all().delete()  # a new database has no record of loading either
    services.roadmap_load()
    assert uids() == before


def test_an_activity_called_new_does_not_hide_the_add_page(client_for, commission_staff):
    activity = ActivityFactory(title="New")
    assert activity.slug == "new-2"
    assert (
        client_for(commission_staff)
        .get(reverse("milestones:activity_create"))
        .context.get("activity")
        is None
    )


def test_an_adviser_with_an_account_can_reply(client_for, member):
    adviser = services.advisory_member_save(name="Mina", email=member.email.upper())
    assert adviser.user == member


def test_the_staff_roadmap_does_not_mark_the_public_roadmap_as_current(
    client_for, commission_staff
):
    current = (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">'
        "Roadmap</strong></a>"
    )
    staff = client_for(commission_staff)
    assert current in staff.get(reverse("milestones:roadmap")).content.decode()
    assert current not in staff.get(reverse("milestones:staff_roadmap")).content.decode()
