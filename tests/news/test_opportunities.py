"""Opportunities: staff write one, see who it reaches, send themselves a test, then send it
once; each resident and member who asked gets one email, with their own links to change
or stop what they hear (and the List-Unsubscribe headers); the archive lists what went."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation import services as consultation_services
from consultation.models import Contact, NewsTopic
from network import services as network_services
from network.models import Membership
from news import selectors, services
from news.models import Opportunity
from notifications import outbox
from notifications.models import Message
from tests.consultation.factories import ConsultationFactory
from tests.network.factories import member

pytestmark = pytest.mark.django_db


def topic(name):
    return NewsTopic.objects.get(name=name)


@pytest.fixture
def people():
    """Residents who asked for news (some on topics), one who withdrew, and members."""
    consultation = ConsultationFactory()

    def resident(email, *topics):
        return consultation_services.contact_add(
            consultation=consultation,
            email=email,
            consent_text="Yes",
            topics=[topic(t).pk for t in topics],
        )

    found = {
        "training": resident("tia@example.org", "Training and courses"),
        "jobs": resident("joe@example.org", "Jobs and apprenticeships"),
        "everything": resident("eve@example.org"),
        "withdrawn": resident("wes@example.org"),
        "both": resident("bo@example.org"),
    }
    consultation_services.contact_withdraw(contact=found["withdrawn"])
    for name, wants in (("Mia", True), ("Max", False)):
        person = member(name)
        network_services.profile_update(membership=person, receives_optional_email=wants)
        found[name] = person
    # Bo is a resident who asked for news and a member who asked for the network's.
    bo = member("Bo")
    bo.user.email = "bo@example.org"
    bo.user.save(update_fields=["email"])
    network_services.profile_update(membership=bo, receives_optional_email=True)
    found["Bo"] = bo
    Message.objects.all().delete()  # their sign-up confirmations and decisions went before
    return found


@pytest.fixture
def course(admin):
    return services.opportunity_save(
        title="Free cloud skills course",
        text="Twelve weeks, evenings, with a guaranteed interview at the end.",
        link="https://example.org/course",
        closes_on=datetime.date(2027, 3, 31),
        topics=[topic("Training and courses")],
        to_residents=True,
        to_members=True,
        created_by=admin,
    )


def send_due():
    return outbox.dispatch(enqueue=outbox.deliver)


def test_staff_see_who_it_reaches_before_sending(client_for, admin, people, course):
    page = client_for(admin).get(reverse("news:staff_detail", args=[course.pk]))
    html = page.content.decode()

    reach = page.context["reach"]
    assert sorted(email for _pk, email in reach.residents) == [
        "bo@example.org",
        "eve@example.org",
        "tia@example.org",
    ]
    # Mia asked for the network's news; Bo too, but has it already as a resident.
    assert [email for _pk, email in reach.members] == [people["Mia"].user.email]
    assert "Send to 4 people" in html
    assert "Opportunity: Free cloud skills course" in html
    assert "(their own link)" in html


def test_a_test_goes_to_the_staff_member_only(client_for, admin, course, mailoutbox):
    staff = client_for(admin)
    staff.post(reverse("news:staff_detail", args=[course.pk]), {"action": "test"})
    send_due()

    (test,) = mailoutbox
    assert test.to == [admin.email]
    assert test.subject == "[Test] Opportunity: Free cloud skills course"
    assert "This is a test" in test.body
    assert "List-Unsubscribe" not in test.extra_headers
    course.refresh_from_db()
    assert course.sent_at is None


def test_sending_asks_first_then_each_person_gets_one_email_with_their_own_links(
    client_for, admin, people, course, mailoutbox
):
    staff = client_for(admin)
    address = reverse("news:staff_detail", args=[course.pk])
    asked = staff.post(address, {"action": "send"}).content.decode()
    assert "Send “Free cloud skills course”?" in asked
    assert "3 residents and 1 network members" in asked
    assert not Message.objects.exists()

    staff.post(address, {"action": "send", "confirmed": "yes"})
    staff.post(address, {"action": "send", "confirmed": "yes"})  # a second press
    send_due()
    send_due()

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["bo@example.org", "eve@example.org", "tia@example.org", people["Mia"].user.email]
    )
    course.refresh_from_db()
    assert (course.reach_residents, course.reach_members) == (3, 1)
    tia = next(m for m in mailoutbox if m.to == ["tia@example.org"])
    contact = Contact.objects.get(email="tia@example.org")
    stop = f"http://127.0.0.1:8000/consultation/contact/{contact.token}/unsubscribe/"
    assert tia.extra_headers["List-Unsubscribe"] == f"<{stop}>"
    assert tia.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "You asked the Diversity in Tech commission for news about: Training and courses." in (
        tia.body
    )
    assert "Closes on 31 March 2027." in tia.body
    assert "Find out more: https://example.org/course" in tia.body
    mia = next(m for m in mailoutbox if m.to == [people["Mia"].user.email])
    assert "/network/news/" in mia.extra_headers["List-Unsubscribe"]
    page = staff.get(address).content.decode()
    assert re.search(r"Delivered</dt><dd[^>]*>4</dd>", page)


def test_a_member_stops_the_news_in_one_click_and_a_resident_who_withdraws_gets_nothing(
    people, course, admin, mailoutbox
):
    services.opportunity_send(opportunity=course, sent_by=admin)
    # Before the emails go, Tia withdraws and Mia stops the network's news by one click.
    consultation_services.contact_withdraw(contact=Contact.objects.get(email="tia@example.org"))
    from network import news

    mia = Membership.objects.get(pk=people["Mia"].pk)
    stop = reverse("network:stop_news", args=[news.stop_token(mia)])
    mail_program = Client(enforce_csrf_checks=True)
    assert (
        mail_program.post(
            stop, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    send_due()

    assert sorted(m.to[0] for m in mailoutbox) == ["bo@example.org", "eve@example.org"]
    notes = dict(Message.objects.filter(status="skipped").values_list("recipient", "note"))
    assert notes == {
        "": "Withdrawn before this was sent.",  # Tia's address went with her
        mia.user.email: "No longer asks for the network's news.",
    }
    mia.refresh_from_db()
    assert not mia.receives_optional_email


def test_a_sent_opportunity_is_in_the_archive_and_can_no_longer_change(
    client, client_for, admin, people, course
):
    draft = services.opportunity_save(
        title="Draft only", text="Not yet.", to_residents=True, created_by=admin
    )
    services.opportunity_send(opportunity=course, sent_by=admin)

    archive = client.get(reverse("news:archive")).content.decode()
    assert "Free cloud skills course" in archive
    assert "Draft only" not in archive
    assert client_for(admin).get(reverse("news:staff_edit", args=[course.pk])).status_code == 404
    with pytest.raises(services.AlreadySent):
        services.opportunity_save(opportunity=course, title="Changed")
    assert Opportunity.objects.get(pk=draft.pk).sent_at is None


def test_an_opportunity_needs_someone_to_send_to(client_for, admin):
    response = client_for(admin).post(
        reverse("news:staff_create"),
        {"title": "Nobody", "text": "For nobody."},
    )
    assert "Choose who to send it to: residents, members or both." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_sending_reads_in_a_fixed_number_of_queries_however_many_people(admin):
    consultation = ConsultationFactory()
    contacts = Contact.objects.bulk_create(
        Contact(consultation=consultation, email=f"r{n}@example.org", consent_text="Yes")
        for n in range(2000)
    )
    opportunity = services.opportunity_save(
        title="Job fair", text="Come along.", to_residents=True, created_by=admin
    )
    with CaptureQueriesContext(connection) as queries:
        services.opportunity_send(opportunity=opportunity, sent_by=admin)
    # Besides writing the rows (in as few statements as the database allows), a few reads.
    reads = [
        q
        for q in queries
        if not (q["sql"].startswith("INSERT") and '"notifications_message"' in q["sql"])
    ]
    assert len(reads) <= 8
    assert Message.objects.filter(topic="news.resident").count() == len(contacts)
    assert timezone.now() - Opportunity.objects.get().sent_at < datetime.timedelta(minutes=1)


def test_retention_erases_a_residents_address_from_the_news_sent_them(
    people, course, admin, settings
):
    services.opportunity_send(opportunity=course, sent_by=admin)
    Contact.objects.update(consented_on=timezone.localdate() - datetime.timedelta(days=800))
    settings.CONTACT_RETENTION_DAYS = 730

    consultation_services.retention_apply()

    residents = Message.objects.filter(topic="news.resident")
    assert set(residents.values_list("recipient", "status")) == {("", "skipped")}
    assert Message.objects.filter(topic="news.member").exclude(recipient="").exists()


def test_a_resident_signed_up_twice_is_told_once_and_one_click_stops_both(
    people, course, admin, mailoutbox
):
    again = consultation_services.contact_add(
        consultation=ConsultationFactory(), email="Tia@Example.org", consent_text="Yes"
    )
    reach = selectors.reach(course)
    assert [email for _pk, email in reach.residents].count("tia@example.org") == 1

    Client().post(
        reverse("consultation:unsubscribe", args=[again.token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert not Contact.objects.filter(email__iexact="tia@example.org").exists()
    assert Contact.objects.filter(withdrawn_at__isnull=False).count() == 3  # Wes, Tia twice


def test_a_member_who_leaves_takes_their_address_out_of_the_news_sent_them(people, course, admin):
    services.opportunity_send(opportunity=course, sent_by=admin)
    mia = Membership.objects.get(pk=people["Mia"].pk)
    email = mia.user.email

    network_services.membership_leave(membership=mia)

    assert not Message.objects.filter(recipient__iexact=email).exists()
    assert Message.objects.get(topic="news.member", params__membership_id=mia.pk).status == (
        "skipped"
    )


def test_the_commission_writes_to_residents_and_coordinators_to_members(
    client_for, commission_staff, coordinator
):
    """Residents agreed to hear from the commission, members asked for the network's news:
    each side is offered, and may send to, its own audience only."""
    staff_form = client_for(commission_staff).get(reverse("news:staff_create")).context["form"]
    assert {"to_residents", "topics"} <= set(staff_form.fields)
    assert "to_members" not in staff_form.fields
    coordinator_form = client_for(coordinator).get(reverse("news:staff_create")).context["form"]
    assert "to_members" in coordinator_form.fields
    assert not {"to_residents", "topics"} & set(coordinator_form.fields)

    # A coordinator's opportunity goes to members only, whatever the request says.
    client_for(coordinator).post(
        reverse("news:staff_create"),
        {"title": "Network lunch", "text": "Come along.", "to_members": "on", "to_residents": "on"},
    )
    lunch = Opportunity.objects.get(title="Network lunch")
    assert (lunch.to_residents, lunch.to_members) == (False, True)
    with pytest.raises(ValidationError):
        services.opportunity_save(opportunity=lunch, to_residents=True, created_by=coordinator)
    both = services.opportunity_save(
        title="Both", text="x", to_residents=True, to_members=True, created_by=None
    )
    with pytest.raises(ValidationError):
        services.opportunity_send(opportunity=both, sent_by=commission_staff)
    assert Opportunity.objects.get(pk=both.pk).sent_at is None
