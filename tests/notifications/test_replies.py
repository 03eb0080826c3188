"""Replies without an account: each invitation carries signed links, one per answer, bound
to one person and one occurrence. A link opens a page; only sending it records the reply,
so mail scanners that fetch links never answer for anyone."""

import datetime
import logging
import re

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from milestones.models import MeetingAttendance
from network import services as network_services
from network.models import EventRsvp, RsvpStatus, SessionAttendance
from notifications import outbox, reminders, replies
from notifications.models import Message
from tests.employers.test_survey import portal_log
from tests.milestones.factories import AdvisoryMeetingFactory, AdvisoryMemberFactory
from tests.network.factories import cohort, member
from tests.network.factories import event as make_event

pytestmark = pytest.mark.django_db

START = datetime.datetime(2027, 3, 15, 14, 0, tzinfo=datetime.UTC)
BEFORE = time_machine.travel(START - datetime.timedelta(days=10), tick=False)


def send_due():
    return outbox.dispatch(enqueue=outbox.deliver)


def reply_links(email) -> dict[str, str]:
    """The reply links of an email, by their words, as paths."""
    found = re.findall(r"^(.+): http://127\.0\.0\.1:8000(/reply/\S+/)$", email.body, re.M)
    return dict(found)


@pytest.fixture
def invited(mailoutbox):
    """A meeting at START, Ada and Ben invited, and Ada's invitation as received."""
    with BEFORE:
        meeting = AdvisoryMeetingFactory(
            starts_at=START,
            ends_at=START + datetime.timedelta(hours=2),
            members=[
                AdvisoryMemberFactory(name="Ada", email="ada@example.org"),
                AdvisoryMemberFactory(name="Ben", email="ben@example.org"),
            ],
        )
        send_due()
    (ada,) = [m for m in mailoutbox if m.to == ["ada@example.org"]]
    return meeting, ada


def rsvp_of(meeting, email):
    return MeetingAttendance.objects.get(meeting=meeting, member__email=email).rsvp


def test_an_invitation_carries_a_link_for_each_answer(invited):
    _meeting, email = invited
    links = reply_links(email)
    assert list(links) == ["Yes, I will come", "No, I cannot come", "Maybe"]
    assert [link.rsplit("/", 2)[-2] for link in links.values()] == ["yes", "no", "maybe"]
    (html, _mimetype) = email.alternatives[0]
    assert f'<a href="http://127.0.0.1:8000{links["Maybe"]}">Maybe</a>' in html


def test_opening_a_link_asks_and_only_sending_the_page_records_the_reply(
    client, invited, commission_staff, client_for
):
    meeting, email = invited
    link = reply_links(email)["No, I cannot come"]
    with BEFORE:
        page = client.get(link)
        client.head(link)  # what a link checker or mail scanner does
        assert rsvp_of(meeting, "ada@example.org") == "no_reply"
        html = page.content.decode()
        assert page.status_code == 200
        assert page["Cache-Control"].startswith("max-age=0")
        assert '<h1 class="govuk-heading-l">Advisory Group Meeting</h1>' in html
        assert re.search(r'value="no"[^>]*checked', html)  # the link's answer, chosen
        assert "a•••@example.org" in html
        assert "ada@example.org" not in html  # nor anywhere in the link: it names the email

        sent = client.post(link, {"answer": "no"})

    assert sent.status_code == 200
    assert "Your reply is recorded" in sent.content.decode()
    assert rsvp_of(meeting, "ada@example.org") == "no"
    assert rsvp_of(meeting, "ben@example.org") == "no_reply"
    # Staff see it on the meeting's page; a changed mind ("maybe") shows too.
    with BEFORE:
        client.post(reply_links(email)["Maybe"], {"answer": "maybe"})
        staff_page = client_for(commission_staff).get(meeting.get_absolute_url())
    row = re.search(r"<td[^>]*>Ada</td><td[^>]*>([^<]+)</td>", staff_page.content.decode())
    assert row.group(1) == "Maybe"


def test_a_link_with_a_changed_signature_works_for_nothing(client, invited):
    meeting, email = invited
    link = reply_links(email)["Yes, I will come"]
    token = link.split("/")[2]
    tampered = link.replace(token, token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
    with BEFORE:
        for address in (tampered, "/reply/not-a-token/yes/"):
            for method in (client.get, client.post):
                response = method(address, {"answer": "yes"})
                assert response.status_code == 404
                assert "This link does not work" in response.content.decode()
    assert rsvp_of(meeting, "ada@example.org") == "no_reply"


def test_a_link_cannot_be_turned_to_another_person_or_occurrence(client, invited):
    meeting, email = invited
    token = reply_links(email)["Yes, I will come"].split("/")[2]
    ada_invitation = signing.loads(token, salt=replies.SALT)
    assert "ada" not in token
    assert Message.objects.get(pk=ada_invitation).recipient == "ada@example.org"
    ben_invitation = Message.objects.get(recipient="ben@example.org").pk
    # Ben's email, or an email about another meeting, signed with another key.
    with BEFORE:
        AdvisoryMeetingFactory(
            starts_at=START, ends_at=START + datetime.timedelta(hours=1), members=[]
        )
    for pk in (ben_invitation, Message.objects.latest("pk").pk, ada_invitation + 1000):
        forged = signing.dumps(pk, key="not-the-portal's-key", salt=replies.SALT)
        with BEFORE:
            response = client.post(f"/reply/{forged}/yes/", {"answer": "yes"})
        assert response.status_code == 404
    # Ben's own link speaks for Ben alone.
    ben_link = reverse("reply", args=[replies.token_for(Message(pk=ben_invitation)), "yes"])
    with BEFORE:
        client.post(ben_link, {"answer": "yes"})
    assert (rsvp_of(meeting, "ada@example.org"), rsvp_of(meeting, "ben@example.org")) == (
        "no_reply",
        "yes",
    )


def test_a_link_is_used_up_when_the_occurrence_ends_or_its_person_is_taken_off(client, invited):
    meeting, email = invited
    link = reply_links(email)["Yes, I will come"]
    # During the meeting a reply is still taken (someone delayed says they cannot come).
    with time_machine.travel(START + datetime.timedelta(minutes=30), tick=False):
        assert client.post(link, {"answer": "no"}).status_code == 200
    with time_machine.travel(START + datetime.timedelta(hours=2, minutes=1), tick=False):
        after = client.post(link, {"answer": "yes"})
    assert after.status_code == 410
    assert "This has already taken place" in after.content.decode()
    assert rsvp_of(meeting, "ada@example.org") == "no"

    from milestones import services as meeting_services

    ben = MeetingAttendance.objects.get(meeting=meeting, member__name="Ben").member
    with BEFORE:
        meeting_services.meeting_set_invitees(meeting=meeting, members=[ben])
        gone = client.post(link, {"answer": "yes"})
        assert gone.status_code == 410
        assert "You are no longer invited to this" in gone.content.decode()
        meeting_services.meeting_cancel(meeting=meeting)
        ben_invitation = Message.objects.get(
            recipient="ben@example.org", topic=reminders.INVITATION
        )
        ben_link = reverse("reply", args=[replies.token_for(ben_invitation), "yes"])
        assert "This has been cancelled" in client.get(ben_link).content.decode()


def test_saying_no_to_an_event_gives_the_place_to_the_waiting_list(client, mailoutbox):
    with BEFORE:
        event = make_event(capacity=1, starts_at=START, ends_at=START + datetime.timedelta(hours=1))
        eve, flo = member("Eve"), member("Flo")
        network_services.event_rsvp(event=event, member=eve)
        network_services.event_rsvp(event=event, member=flo)
        send_due()
        (invitation,) = [m for m in mailoutbox if m.to == [eve.user.email] and m.attachments]
        links = reply_links(invitation)
        page = client.get(links["No, I cannot come"]).content.decode()
        assert "Saying no gives your place to the next person on the waiting list." in page
        client.post(links["Maybe"], {"answer": "maybe"})
        assert EventRsvp.objects.get(member=eve).reply == "maybe"
        client.post(links["No, I cannot come"], {"answer": "no"})

    statuses = dict(EventRsvp.objects.values_list("member__name", "status"))
    assert statuses == {"Eve": RsvpStatus.CANCELLED, "Flo": RsvpStatus.GOING}


def test_a_session_reply_reaches_the_coordinators_page(client, client_for, coordinator, mailoutbox):
    with time_machine.travel(datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC), tick=False):
        course = cohort(starts_on=datetime.date(2027, 3, 1))
        place = network_services.place_nominate(cohort=course, member=member("Placed", org="Brent"))
        send_due()
        session = course.sessions.get(number=2)
        (invitation,) = [m for m in mailoutbox if "Reflection session 2" in m.subject]
        client.post(reply_links(invitation)["Maybe"], {"answer": "maybe"})
        page = client_for(coordinator).get(reverse("network:session", args=[session.pk]))

    assert SessionAttendance.objects.get(session=session, place=place).reply == "maybe"
    assert re.search(r"Placed.*?Maybe", page.content.decode(), re.S)


def test_reply_links_never_reach_the_log(client, invited):
    _meeting, email = invited
    link = reply_links(email)["Yes, I will come"]
    token = link.split("/")[2]
    with portal_log() as written:
        with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
            assert client.get(link).status_code == 410  # Django logs what it answers 4xx
        logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 0', link)
    logged = written.getvalue()
    assert token not in logged
    assert '"GET /reply/<token>/yes/ HTTP/1.1" 200' in logged
