import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from network import services
from network.models import MembershipStatus
from tests.conftest import make_user
from tests.network.factories import member, organisation

pytestmark = pytest.mark.django_db


def test_the_starting_list_has_the_32_boroughs_and_the_city():
    from network.models import Organisation

    assert Organisation.objects.filter(kind="borough").count() == 32
    assert Organisation.objects.filter(kind="city").count() == 1
    assert Organisation.objects.filter(is_member=True).count() == 33


def test_applying_needs_the_self_declared_statement(client):
    user = make_user("ama@example.org")
    client.force_login(user)
    response = client.post(
        reverse("network:apply"),
        {
            "name": "Ama",
            "organisation": organisation().pk,
            "role": "Analyst",
            "seniority": 3,
            "discipline": "data",
        },
    )
    assert (
        "Confirm that you are a woman, non-binary or gender-nonconforming"
        in response.content.decode()
    )
    assert 'value="Analyst"' in response.content.decode()
    with pytest.raises(ValidationError):
        services.membership_apply(
            user=user,
            organisation=organisation(),
            name="Ama",
            role="x",
            seniority=3,
            discipline="data",
            statement=False,
        )


def test_apply_then_approved_with_an_email(
    client, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user("ama@example.org")
    client.force_login(user)
    client.post(
        reverse("network:apply"),
        {
            "name": "Ama Owusu",
            "organisation": organisation("Lambeth").pk,
            "role": "Data analyst",
            "seniority": 3,
            "discipline": "data",
            "statement": "on",
        },
    )
    membership = user.membership
    assert membership.status == MembershipStatus.APPLIED
    assert client.get(reverse("network:members")).status_code == 403

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("network:decide", args=[membership.pk]),
            {"decision": "approve", "message": "Welcome!"},
        )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert mailoutbox[0].to == ["ama@example.org"]
    assert "has been approved" in mailoutbox[0].body
    assert "Welcome!" in mailoutbox[0].body

    client.force_login(user)
    assert client.get(reverse("network:members")).status_code == 200


def test_declining_needs_a_message_and_emails_it(
    client_for, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = member("Bea", approve=False)
    client = client_for(coordinator)
    response = client.post(reverse("network:decide", args=[applicant.pk]), {"decision": "decline"})
    assert "Say why, so that the applicant hears it from a person" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("network:decide", args=[applicant.pk]),
            {"decision": "decline", "message": "The network is for council staff."},
        )
    applicant.refresh_from_db()
    assert applicant.status == MembershipStatus.DECLINED
    assert "The network is for council staff." in mailoutbox[0].body


def test_a_decision_is_taken_once(coordinator):
    applicant = member("Cleo", approve=False)
    services.membership_decide(
        membership=applicant, approve=True, message="", decided_by=coordinator
    )
    with pytest.raises(services.NotAllowed):
        services.membership_decide(
            membership=applicant, approve=False, message="x", decided_by=coordinator
        )


def test_the_decision_email_is_sent_once_even_if_the_task_runs_twice(mailoutbox, coordinator):
    from network.tasks import send_decision

    applicant = member("Dee", approve=False)
    services.membership_decide(
        membership=applicant, approve=True, message="", decided_by=coordinator
    )
    send_decision(applicant.pk)
    send_decision(applicant.pk)
    assert len(mailoutbox) == 1


def test_the_directory_shows_only_what_each_member_chose(client_for):
    viewer = member("Viewer")
    member(
        "Open Olu",
        org="Camden",
        show_email=True,
        show_role=True,
        show_seniority=True,
        bio="Ask me about data.",
        show_bio=True,
    )
    member(
        "Private Pat",
        org="Brent",
        show_role=False,
        show_organisation=False,
        bio="Secret",
        show_bio=False,
    )
    member("Unlisted Una", listed=False)

    html = client_for(viewer.user).get(reverse("network:members")).content.decode()
    assert "Open Olu" in html
    assert "Ask me about data." in html
    assert "open.olu" in html  # the email she chose to show
    assert "Private Pat" in html
    assert "Brent" not in html
    assert "Secret" not in html
    assert "Unlisted Una" not in html


def test_members_only_pages_are_closed_to_everyone_else(client_for, commission_staff):
    applicant = member("Eve", approve=False)
    outsider = make_user("outsider@example.org")
    for url in (reverse("network:members"), reverse("network:events"), reverse("network:profile")):
        assert client_for(None).get(url).status_code == 302
        assert client_for(outsider).get(url).status_code == 403
        assert client_for(applicant.user).get(url).status_code == 403
        assert client_for(commission_staff).get(url).status_code == 403


def test_members_cannot_run_the_network(client_for):
    someone = member("Fay")
    applicant = member("Gia", approve=False)
    client = client_for(someone.user)
    for url in (
        reverse("network:applications"),
        reverse("network:decide", args=[applicant.pk]),
        reverse("network:cohorts"),
        reverse("network:mentoring"),
        reverse("network:event_create"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("network:mentoring")).status_code == 403
    applicant.refresh_from_db()
    assert applicant.status == MembershipStatus.APPLIED


def test_a_member_edits_their_profile(client_for):
    someone = member("Hana")
    response = client_for(someone.user).post(
        reverse("network:profile"),
        {
            "name": "Hana K",
            "role": "Lead developer",
            "organisation": organisation().pk,
            "seniority": 5,
            "discipline": "digital",
            "bio": "Hi",
            "listed": "on",
            "offers_mentoring": "on",
            "mentee_capacity": 2,
        },
    )
    assert "Choose at least one topic to mentor or be mentored in" in response.content.decode()
    someone.refresh_from_db()
    assert someone.name == "Hana"


def test_leaving_removes_personal_data_but_keeps_the_numbers(client_for):
    from tests.network.factories import cohort

    someone = member("Ivy", org="Ealing", bio="About me", offers=True, topics=["Leadership"])
    course = cohort()
    place = services.place_nominate(cohort=course, member=someone)
    user = someone.user
    history = LogEntry.objects.filter(
        Q(object_repr="Ivy") | Q(object_repr__startswith="Ivy –"), actor=None
    )
    assert history.count() == 2  # the application and the place

    client_for(user).post(reverse("network:leave"))

    someone.refresh_from_db()
    assert someone.status == MembershipStatus.LEFT
    assert (someone.name, someone.bio, someone.user) == ("", "", None)
    assert not someone.topics.exists()
    assert not someone.offers_mentoring
    place.refresh_from_db()
    assert place.organisation.name == "Ealing"  # the place still counts for Ealing
    assert str(someone) == "Former member"
    assert not history.exists()
    assert not LogEntry.objects.get_for_object(someone).exists()
