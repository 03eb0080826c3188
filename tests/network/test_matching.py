import pytest
from django.urls import reverse

from network import matching, services
from network.models import MatchStatus, MentoringMatch
from tests.network.factories import member

pytestmark = pytest.mark.django_db


def pairs():
    return {(p.mentor_id, p.mentee_id) for p in matching.propose()}


def test_a_mentor_must_be_more_senior():
    mentor = member("Senior Sam", seniority=6, offers=True, topics=["Leadership"])
    junior = member("Junior Jo", seniority=2, seeks=True, topics=["Leadership"])
    peer = member("Peer Pia", seniority=6, seeks=True, topics=["Leadership"])
    assert pairs() == {(mentor.pk, junior.pk)}
    assert peer.pk not in {m for _, m in pairs()}


def test_mentor_and_mentee_share_a_topic():
    member("Mo", seniority=6, offers=True, topics=["Cyber security"])
    member("Mi", seniority=2, seeks=True, topics=["Leadership"])
    assert pairs() == set()


def test_each_mentor_capacity_is_respected():
    mentor = member("Busy", seniority=8, offers=True, capacity=2, topics=["Leadership"])
    mentees = [
        member(f"Mentee {i}", seniority=2, seeks=True, topics=["Leadership"]) for i in range(4)
    ]
    found = pairs()
    assert len(found) == 2
    assert all(m == mentor.pk for m, _ in found)
    assert {e for _, e in found} <= {m.pk for m in mentees}


def test_another_organisation_is_preferred():
    same = member("Same Org", org="Camden", seniority=6, offers=True, topics=["Leadership"])
    other = member("Other Org", org="Brent", seniority=6, offers=True, topics=["Leadership"])
    mentee = member("Mentee", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    assert pairs() == {(other.pk, mentee.pk)}
    assert same.pk not in {m for m, _ in pairs()}


def test_the_best_total_beats_greedy_pairing():
    # Greedy pairing takes each mentee's best mentor in turn. Ana's best is Xia (two shared
    # topics); that leaves Bo, whose only possible mentor is Xia, with no one. The best
    # total gives Ana to Yu (one shared topic) and Bo to Xia: two pairs, not one.
    xia = member(
        "Xia", org="Brent", seniority=7, offers=True, topics=["Leadership", "Cyber security"]
    )
    yu = member("Yu", org="Ealing", seniority=7, offers=True, topics=["Leadership"])
    ana = member(
        "Ana", org="Camden", seniority=2, seeks=True, topics=["Leadership", "Cyber security"]
    )
    bo = member("Bo", org="Harrow", seniority=2, seeks=True, topics=["Cyber security"])

    greedy = {}
    for mentee in (ana, bo):
        options = [
            (
                matching.PER_TOPIC
                * len({t.pk for t in m.topics.all()} & {t.pk for t in mentee.topics.all()}),
                m,
            )
            for m in (xia, yu)
            if m.pk not in greedy.values()
            and {t.pk for t in m.topics.all()} & {t.pk for t in mentee.topics.all()}
        ]
        if options:
            greedy[mentee.pk] = max(options, key=lambda o: o[0])[1].pk
    assert greedy == {ana.pk: xia.pk}

    assert pairs() == {(yu.pk, ana.pk), (xia.pk, bo.pk)}


def test_confirmed_mentees_and_full_mentors_are_left_out(coordinator):
    mentor = member("M", seniority=7, offers=True, capacity=1, topics=["Leadership"])
    member("F", seniority=2, seeks=True, topics=["Leadership"])
    member("S", seniority=2, seeks=True, topics=["Leadership"])
    (match,) = services.matching_run(run_by=coordinator)  # one slot, two mentees
    assert match.mentor == mentor
    services.match_confirm(match=match, decided_by=coordinator)
    # The mentor is full and the matched mentee has a mentor: nothing more to propose.
    assert services.matching_run(run_by=coordinator) == []


def test_a_rejected_pair_is_not_proposed_again(coordinator):
    mentor = member("M", seniority=7, offers=True, topics=["Leadership"])
    mentee = member("E", seniority=2, seeks=True, topics=["Leadership"])
    (match,) = services.matching_run(run_by=coordinator)
    services.match_reject(match=match, decided_by=coordinator)
    assert services.matching_run(run_by=coordinator) == []
    assert (mentor.pk, mentee.pk) not in pairs()


def test_coordinators_see_why_confirm_and_both_are_told(
    client_for, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    member("Mentor Mae", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    member("Mentee Nia", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))
    page = client.get(reverse("network:mentoring")).content.decode()
    assert "Mentor Mae to mentor Mentee Nia" in page
    assert "Shared topics: Leadership" in page
    assert "From different organisations" in page

    match = MentoringMatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:match_action", args=[match.pk, "confirm"]))
    assert sorted(m.to[0].split(".")[0] for m in mailoutbox) == ["mentee", "mentor"]
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED

    from network.tasks import send_match

    send_match(match.pk)
    assert len(mailoutbox) == 2


def test_a_coordinator_can_change_the_mentor_only_to_a_possible_one(client_for, coordinator):
    member("First", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    better = member("Second", org="Ealing", seniority=8, offers=True, topics=["Leadership"])
    too_junior = member("Junior", org="Harrow", seniority=1, offers=True, topics=["Leadership"])
    member("Mentee", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))
    match = MentoringMatch.objects.get()

    refused = client.post(
        reverse("network:match_action", args=[match.pk, "change"]),
        {"mentor": too_junior.pk},
        follow=True,
    )
    assert "A mentor must be more senior than their mentee." in refused.content.decode()
    client.post(reverse("network:match_action", args=[match.pk, "change"]), {"mentor": better.pk})
    match.refresh_from_db()
    assert match.mentor == better
