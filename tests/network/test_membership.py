import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from network import services
from network.models import (
    Cohort,
    Event,
    MembershipStatus,
    MentoringMatch,
    Organisation,
    PlaceStatus,
)
from tests.conftest import date_input, make_user, send_everything_again
from tests.network.factories import cohort, event, member, organisation

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
    decision = LogEntry.objects.get_for_object(membership).latest("timestamp")
    assert decision.actor == coordinator
    assert decision.changes_dict == {"status": ["applied", "approved"]}
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
    decline = {"decision": "decline", "message": "The network is for council staff."}

    # Declining emails the applicant at once, so the page asks first.
    asked = client.post(reverse("network:decide", args=[applicant.pk]), decline).content.decode()
    assert "Decline Bea&#x27;s application?" in asked
    assert "will be emailed your message: “The network is for council staff.”" in asked
    applicant.refresh_from_db()
    assert applicant.status == MembershipStatus.APPLIED
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:decide", args=[applicant.pk]), {**decline, "confirmed": "yes"})
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
    applicant = member("Dee", approve=False)
    services.membership_decide(
        membership=applicant, approve=True, message="", decided_by=coordinator
    )
    send_everything_again()
    send_everything_again()
    assert len(mailoutbox) == 1


def test_a_new_decision_after_applying_again_is_emailed_too(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = member("Rae", approve=False)
    fields = {
        "organisation": organisation(),
        "name": "Rae",
        "role": "Analyst",
        "seniority": 3,
        "discipline": "data",
        "statement": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(
            membership=applicant, approve=False, message="First: not yet.", decided_by=coordinator
        )
    services.membership_apply(user=applicant.user, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(
            membership=applicant, approve=False, message="Second: not yet.", decided_by=coordinator
        )
    services.membership_apply(user=applicant.user, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_decide(
            membership=applicant, approve=True, message="Welcome.", decided_by=coordinator
        )

    assert [m.to for m in mailoutbox] == [[applicant.user.email]] * 3
    assert ["First: not yet." in mailoutbox[0].body, "Second: not yet." in mailoutbox[1].body] == [
        True,
        True,
    ]
    assert "has been approved" in mailoutbox[2].body


def test_the_directory_shows_only_what_each_member_chose(client_for):
    viewer = member("Viewer", org="Hackney")
    member(
        "Open Olu",
        org="Camden",
        seniority=8,
        role="Role-shown-K7Q",
        bio="Bio-shown-K7Q",
        show_email=True,
        show_role=True,
        show_organisation=True,
        show_seniority=True,
        show_bio=True,
    )
    private = member(
        "Private Pat",
        org="Sutton",
        seniority=9,
        role="Role-hidden-Z4W",
        bio="Bio-hidden-Z4W",
        show_email=False,
        show_role=False,
        show_organisation=False,
        show_seniority=False,
        show_bio=False,
    )
    member("Unlisted Una", listed=False)

    html = client_for(viewer.user).get(reverse("network:members")).content.decode()

    assert "Open Olu" in html
    for shown in ("Role-shown-K7Q", "Camden", "Director or assistant director", "Bio-shown-K7Q"):
        assert shown in html
    assert "open.olu" in html  # her email address, which she chose to show
    assert "Private Pat" in html
    for hidden in (
        "Role-hidden-Z4W",
        "Sutton",
        "Chief Digital Officer or equivalent",
        "Bio-hidden-Z4W",
        private.user.email,
    ):
        assert hidden not in html, hidden
    assert "Unlisted Una" not in html


def test_members_only_pages_are_closed_to_everyone_else(client_for, commission_staff):
    party = event()
    applicant = member("Eve", approve=False)
    declined = member("Dora", approve=False)
    services.membership_decide(
        membership=declined, approve=False, message="Not for us.", decided_by=None
    )
    outsider = make_user("outsider@example.org")
    pages = [
        reverse("network:members"),
        reverse("network:events"),
        reverse("network:event", args=[party.slug]),
        reverse("network:event_ics", args=[party.slug]),
        reverse("network:profile"),
        reverse("network:leave"),
    ]
    for url in pages:
        assert client_for(None).get(url).status_code == 302, url
        for user in (outsider, applicant.user, declined.user, commission_staff):
            assert client_for(user).get(url).status_code == 403, (url, user)

    for url in (reverse("network:event", args=[party.slug]), reverse("network:leave")):
        for user in (outsider, applicant.user, commission_staff):
            assert client_for(user).post(url).status_code == 403, (url, user)
    assert not party.rsvps.exists()
    applicant.refresh_from_db()
    assert applicant.status == MembershipStatus.APPLIED


def _network_to_run(coordinator):
    """One of everything a coordinator acts on: an application, a cohort with a nominated
    place, its sessions, an event with someone going, and two proposed mentoring pairs."""
    applicant = member("Applicant Abi", approve=False)
    course = cohort()
    place = services.place_nominate(cohort=course, member=member("Nominee Nell", org="Brent"))
    party = event()
    services.event_rsvp(event=party, member=member("Going Gita"))
    member("Mentor Mo", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    member("Mentor Meg", org="Ealing", seniority=8, offers=True, topics=["Leadership"])
    member("Mentee Ola", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    member("Mentee Pam", org="Harrow", seniority=2, seeks=True, topics=["Leadership"])
    pairs = services.matching_run(run_by=coordinator)
    return applicant, course, place, party, pairs


def _state(applicant, course, place, party, pairs):
    applicant.refresh_from_db()
    place.refresh_from_db()
    party.refresh_from_db()
    session = course.sessions.first()
    return (
        applicant.status,
        place.status,
        session.starts_at,
        session.sequence,
        session.attendance.count(),
        party.is_cancelled,
        party.starts_at,
        list(party.rsvps.values_list("attended", flat=True)),
        sorted(MentoringMatch.objects.values_list("pk", "mentor_id", "status")),
        Cohort.objects.count(),
        Event.objects.count(),
    )


@pytest.mark.parametrize("who", ["member", "commission_staff"])
def test_only_coordinators_run_the_network(who, client_for, request, coordinator):
    applicant, course, place, party, pairs = _network_to_run(coordinator)
    user = request.getfixturevalue(who)
    if who == "member":
        member("Fay", user=user)
    session = course.sessions.first()
    before = _state(applicant, course, place, party, pairs)
    client = client_for(user)

    for url in (
        reverse("network:applications"),
        reverse("network:decide", args=[applicant.pk]),
        reverse("network:cohorts"),
        reverse("network:cohort", args=[course.pk]),
        reverse("network:session", args=[session.pk]),
        reverse("network:event_create"),
        reverse("network:event_edit", args=[party.slug]),
        reverse("network:event_attendance", args=[party.slug]),
        reverse("network:mentoring"),
    ):
        assert client.get(url).status_code == 403, url

    someone = member("Someone", org="Harrow")
    when = {"starts_at": "2027-03-12T15:00", "ends_at": "2027-03-12T16:00"}
    event_fields = {
        "title": "Changed",
        "mode": "online",
        "format": "led",
        "online_url": "https://meet.example.org/x",
        "capacity": 5,
        **when,
    }
    posts = [
        (reverse("network:decide", args=[applicant.pk]), {"decision": "approve"}),
        (reverse("network:cohorts"), {**date_input("starts_on", "2027-04-05"), "weeks": 6}),
        (reverse("network:cohort", args=[course.pk]), {"member": someone.pk}),
        *(
            (reverse("network:place_action", args=[place.pk, action]), {})
            for action in ("confirm", "complete", "withdraw")
        ),
        (reverse("network:session", args=[session.pk]), {"form": "session", **when}),
        (
            reverse("network:session", args=[session.pk]),
            {"form": "attendance", "attended": [str(place.pk)]},
        ),
        (reverse("network:event_create"), event_fields),
        (reverse("network:event_edit", args=[party.slug]), event_fields),
        (
            reverse("network:event_attendance", args=[party.slug]),
            {"attended": [str(r.member_id) for r in party.rsvps.all()]},
        ),
        (reverse("network:event_attendance", args=[party.slug]), {"action": "cancel_event"}),
        (reverse("network:mentoring"), {"action": "match"}),
        (
            reverse("network:mentoring"),
            {"action": "swap", "first": pairs[0].pk, "second": pairs[1].pk},
        ),
        *(
            (reverse("network:match_action", args=[pairs[0].pk, action]), {})
            for action in ("confirm", "reject")
        ),
        (
            reverse("network:match_action", args=[pairs[0].pk, "change"]),
            {"mentor": pairs[1].mentor_id},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, (url, data)

    assert _state(applicant, course, place, party, pairs) == before


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
    assert "Select at least one topic you can mentor in" in response.content.decode()
    someone.refresh_from_db()
    assert someone.name == "Hana"


def test_leaving_removes_personal_data_but_keeps_the_numbers(client_for):
    someone = member("Ivy", org="Ealing", bio="About me", offers=True, topics=["Leadership"])
    course = cohort()
    place = services.place_nominate(cohort=course, member=someone)
    user = someone.user
    history = LogEntry.objects.filter(
        Q(object_repr="Ivy") | Q(object_repr__startswith="Ivy –"), actor=None
    )
    # The application, its approval, the place, and the nomination made and placed.
    assert history.count() == 5

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


def test_leaving_gives_up_course_places_to_come_and_every_waiting_list_place(
    mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    leaver = member("Lou", org="Ealing")
    next_course = cohort(
        starts_on=today + datetime.timedelta(days=30), capacity=1, network_funded_places=1
    )
    full_course = cohort(
        starts_on=today + datetime.timedelta(days=60), capacity=1, network_funded_places=1
    )
    running = cohort(
        starts_on=today - datetime.timedelta(days=7), capacity=1, network_funded_places=1
    )
    finished = cohort(starts_on=today - datetime.timedelta(days=120))

    nominated = services.place_nominate(cohort=next_course, member=leaver)
    next_in_line = services.place_nominate(cohort=next_course, member=member("Nia", org="Brent"))
    holder = services.place_nominate(cohort=full_course, member=member("Hal", org="Brent"))
    waiting = services.place_nominate(cohort=full_course, member=leaver)
    after_leaver = services.place_nominate(cohort=full_course, member=member("Ona", org="Harrow"))
    under_way = services.place_confirm(place=services.place_nominate(cohort=running, member=leaver))
    completed = services.place_nominate(cohort=finished, member=leaver)
    services.place_complete(place=services.place_confirm(place=completed))

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_leave(membership=leaver)

    for place in (nominated, next_in_line, waiting, under_way, completed, after_leaver):
        place.refresh_from_db()
    assert (nominated.status, waiting.status) == (PlaceStatus.WITHDRAWN, PlaceStatus.WITHDRAWN)
    assert next_in_line.status == PlaceStatus.NOMINATED  # the waiting list moved up
    # Nia is told of her place and sent its three reflection sessions; the leaver, gone
    # with her address, is sent nothing (not even calendar cancellations).
    assert {m.to[0] for m in mailoutbox} == {next_in_line.member.user.email}
    assert sorted(m.subject.split(":")[0] for m in mailoutbox) == [
        "A place on the confidence course is yours",
        "Invitation",
        "Invitation",
        "Invitation",
    ]
    assert (under_way.status, completed.status) == (PlaceStatus.CONFIRMED, PlaceStatus.COMPLETED)

    # Later, when the place in the full course comes free, it goes to a member, not to
    # "Former member".
    offered = services.place_withdraw(place=holder)
    assert offered == after_leaver
    assert str(offered.member) == "Ona"


def test_the_profile_offers_the_same_organisations_as_applying(client_for):
    partner = Organisation.objects.create(
        name="Partner trust", kind=Organisation.Kind.PARTNER, is_member=False
    )
    someone = member("Kim", org="Camden")
    form = client_for(someone.user).get(reverse("network:profile")).context["form"]
    assert partner not in form.fields["organisation"].queryset
    assert organisation("Camden") in form.fields["organisation"].queryset

    # A member whose organisation has since left the network can still save her profile.
    Organisation.objects.filter(name="Camden").update(is_member=False)
    response = client_for(someone.user).post(
        reverse("network:profile"),
        {
            "name": "Kim",
            "organisation": organisation("Camden").pk,
            "seniority": 3,
            "discipline": "digital",
            "mentee_capacity": 1,
        },
    )
    assert response.status_code == 302


def test_coordinators_sort_and_page_through_the_applications(client_for, coordinator):
    start = timezone.now() - datetime.timedelta(days=60)
    for n in range(55):
        with time_machine.travel(start + datetime.timedelta(days=n)):
            member(f"Applicant {n:02d}", org="Harrow" if n % 2 else "Camden", approve=False)
    client = client_for(coordinator)
    url = reverse("network:applications")

    def names(response):
        return [m.name for m in response.context["applications"]]

    oldest = client.get(url)
    assert names(oldest) == [f"Applicant {n:02d}" for n in range(50)]  # oldest first
    assert "Showing 1 to 50 of 55" in oldest.content.decode()
    assert names(client.get(url, {"page": 2})) == [f"Applicant {n}" for n in range(50, 55)]
    assert names(client.get(url, {"sort": "-applied"}))[0] == "Applicant 54"
    by_organisation = names(client.get(url, {"sort": "organisation"}))
    assert by_organisation[:28] == [f"Applicant {n:02d}" for n in range(0, 55, 2)]  # Camden


def test_coordinators_filter_the_applications_and_keep_the_sort(client_for, coordinator):
    member("Ada", org="Camden", seniority=2, approve=False)
    member("Bea", org="Harrow", seniority=2, approve=False)
    member("Cy", org="Harrow", seniority=6, approve=False)
    member("Di", org="Brent", seniority=6)  # approved: not waiting
    client = client_for(coordinator)
    url = reverse("network:applications")
    harrow = Organisation.objects.get(name="Harrow")

    def names(response):
        return [m.name for m in response.context["applications"]]

    page = client.get(url)
    offered = [str(o) for o in page.context["filters"].form.fields["organisation"].queryset]
    assert offered == ["Camden", "Harrow"]  # organisations with an application waiting
    assert names(client.get(url, {"organisation": harrow.pk})) == ["Bea", "Cy"]
    assert names(client.get(url, {"organisation": harrow.pk, "seniority": 6})) == ["Cy"]
    assert names(client.get(url, {"discipline": "data"})) == []
    filtered = client.get(url, {"seniority": 2, "sort": "-name"})
    assert names(filtered) == ["Bea", "Ada"]
    html = filtered.content.decode()
    assert '<input type="hidden" name="sort" value="-name">' in html
    assert "2 applications waiting" in html
    # A value not in a list is a message beside the filter, not an error page.
    wrong = client.get(url, {"organisation": "999999"})
    assert wrong.status_code == 200
    assert "Select an organisation from the list" in wrong.content.decode()
