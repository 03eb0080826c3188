"""The admin: every model of the portal is there, and roadmap edits made in it follow the
same rules as the staff pages."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin as django_admin
from django.urls import reverse
from django.utils import timezone

from milestones import services
from milestones.models import Activity, AdvisoryMeeting, Workstream
from notifications import outbox
from tests.milestones.factories import (
    ActivityFactory,
    AdvisoryMeetingFactory,
    AdvisoryMemberFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 3, 15, 14, 0, tzinfo=datetime.UTC)
PORTAL_APPS = ("accounts", "notifications", "milestones", "consultation", "employers", "network")


def _portal_models() -> list:
    return [
        pytest.param(model, id=f"{label}.{model.__name__}")
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models()
    ]


@pytest.mark.parametrize("model", _portal_models())
def test_every_model_is_in_the_admin_and_its_list_can_be_searched(client_for, admin, model):
    assert model in django_admin.site._registry
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    response = client_for(admin).get(url, {"q": "x"})

    assert response.status_code == 200


def _meeting_form(meeting, **changes):
    """What the admin's change form sends for ``meeting`` with ``changes``, leaving its
    papers and invitations as they are."""
    values = {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "location": meeting.location,
        "online_url": meeting.online_url,
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        **changes,
    }
    data = {
        "activity": meeting.activity_id or "",
        "papers-TOTAL_FORMS": "0",
        "papers-INITIAL_FORMS": "0",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
    }
    for name, value in values.items():
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
        else:
            data[name] = value
    return data


def test_moving_a_meeting_in_the_admin_sends_the_change_to_those_reminded(
    client_for, admin, mailoutbox
):
    with time_machine.travel(START - datetime.timedelta(days=30), tick=False):
        meeting = AdvisoryMeetingFactory(
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=2),
            members=[AdvisoryMemberFactory(email="ada@example.org")],
        )
    with time_machine.travel(START - datetime.timedelta(days=6), tick=False):
        outbox.dispatch(enqueue=outbox.deliver)
        # The invitation (sent when the meeting was scheduled) and the week's reminder.
        assert [m.subject.split(":")[0] for m in mailoutbox] == ["Invitation", "Reminder"]

        response = client_for(admin).post(
            reverse("admin:milestones_advisorymeeting_change", args=[meeting.pk]),
            _meeting_form(
                meeting,
                starts_at=START + datetime.timedelta(hours=1),
                ends_at=START + datetime.timedelta(hours=3),
                location="Online",
            ),
        )
        outbox.dispatch(enqueue=outbox.deliver)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.location, meeting.sequence) == (
        START + datetime.timedelta(hours=1),
        "Online",
        1,
    )
    (update,) = mailoutbox[2:]
    assert "Changed:" in update.subject
    assert update.to == ["ada@example.org"]


def test_a_meeting_added_in_the_admin_keeps_its_papers(client_for, admin):
    data = _meeting_form(
        AdvisoryMeeting(title="Advisory Group Meeting", starts_at=START, ends_at=START),
        ends_at=START + datetime.timedelta(hours=2),
        location="Hackney Town Hall",
    )
    data.pop("minutes")
    data.update(
        {
            "papers-TOTAL_FORMS": "1",
            "papers-0-title": "Progress report",
            "papers-0-url": "https://example.org/progress.pdf",
            "papers-0-position": "0",
        }
    )

    response = client_for(admin).post(reverse("admin:milestones_advisorymeeting_add"), data)

    assert response.status_code == 302
    meeting = AdvisoryMeeting.objects.get()
    assert (meeting.location, meeting.sequence) == ("Hackney Town Hall", 0)
    assert [p.title for p in meeting.papers.all()] == ["Progress report"]


def test_a_meeting_is_cancelled_in_the_admin_by_its_action_only(client_for, admin):
    meeting, other = AdvisoryMeetingFactory.create_batch(2)
    client = client_for(admin)
    change = reverse("admin:milestones_advisorymeeting_change", args=[meeting.pk])

    page = client.get(change).content.decode()
    assert 'name="is_cancelled"' not in page
    assert client.post(change, {**_meeting_form(meeting), "is_cancelled": "on"}).status_code == 302
    meeting.refresh_from_db()
    assert not meeting.is_cancelled

    response = client.post(
        reverse("admin:milestones_advisorymeeting_changelist"),
        {"action": "cancel_meetings", "_selected_action": [meeting.pk]},
        follow=True,
    )

    assert "1 meeting is cancelled." in response.content.decode()
    meeting.refresh_from_db()
    other.refresh_from_db()
    assert (meeting.is_cancelled, meeting.sequence) == (True, 1)
    assert not other.is_cancelled


def test_an_activity_address_is_set_once_and_cannot_be_new(client_for, admin):
    workstream = WorkstreamFactory()
    client = client_for(admin)
    add = reverse("admin:milestones_activity_add")
    data = {
        "workstream": workstream.pk,
        "kind": "event",
        "title": "New",
        "starts_on": "2030-06-01",
        "starts_precision": "month",
        "ends_precision": "month",
        "is_public": "on",
        "deliverables-TOTAL_FORMS": "0",
        "deliverables-INITIAL_FORMS": "0",
    }

    refused = client.post(add, {**data, "slug": "new"})
    assert "is the address of another page" in refused.content.decode()
    assert client.post(add, {**data, "slug": "new-showcase"}).status_code == 302

    activity = Activity.objects.get()
    change = reverse("admin:milestones_activity_change", args=[activity.pk])
    assert 'name="slug"' not in client.get(change).content.decode()
    client.post(change, {**data, "slug": "changed", "title": "New showcase"})
    activity.refresh_from_db()
    assert (activity.title, activity.slug) == ("New showcase", "new-showcase")


def test_a_workstream_address_is_set_once(client_for, admin):
    workstream = Workstream.objects.create(name="Governance", slug="governance")
    change = reverse("admin:milestones_workstream_change", args=[workstream.pk])

    response = client_for(admin).post(
        change, {"name": "Governance", "slug": "changed", "position": "0"}
    )

    assert response.status_code == 302

    workstream.refresh_from_db()
    assert workstream.slug == "governance"


def test_staff_cannot_give_an_activity_the_address_of_the_add_page():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="address of another page"):
        services.activity_create(
            workstream=WorkstreamFactory(),
            kind="event",
            title="New",
            slug="new",
            starts_on=datetime.date(2030, 6, 1),
            starts_precision="month",
        )
    assert ActivityFactory(title="New").slug == "new-2"
