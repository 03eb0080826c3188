import datetime
import os
import threading
import time

import pytest
import time_machine
from auditlog.models import LogEntry
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from network import matching, services
from network.models import MatchStatus, MentoringMatch, Organisation
from tests.conftest import send_everything_again
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

    assert send_everything_again(topic="network.match") == {}
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


def test_the_mentoring_page_names_each_member_left_without_a_mentor_and_why(
    client_for, coordinator
):
    mae = member("Mae", org="Brent", seniority=7, offers=True, capacity=1, topics=["Leadership"])
    member("Pia", org="Ealing", seniority=3, offers=True, topics=["Cyber security"])
    member("Nia", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    member("Ola", org="Harrow", seniority=3, seeks=True, topics=["Leadership"])  # Mae is full
    member("Pam", org="Harrow", seniority=2, seeks=True, topics=["Data"])  # nobody mentors it
    member("Hal", org="Camden", seniority=5, seeks=True, topics=["Cyber security"])  # Pia is junior
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))

    (proposed,) = MentoringMatch.objects.filter(status=MatchStatus.PROPOSED)
    assert proposed.mentor == mae
    left_out = "Ola" if proposed.mentee.name == "Nia" else "Nia"
    page = client.get(reverse("network:mentoring"))
    why = {item.member.name: item.reason for item in page.context["unmatched"]}
    assert why == {
        left_out: "No mentor with room: each mentor who could mentor them (Mae) has as many "
        "mentees as they can take, proposed or confirmed.",
        "Pam": "No mentor shares a topic with them (they chose Data).",
        "Hal": "The mentors who share a topic with them (Pia) are not more senior than them.",
    }
    html = page.content.decode()
    assert "3 members who would like a mentor have no pair, proposed or confirmed" in html
    for name, reason in why.items():
        assert name in html
        assert escape(reason) in html

    # Once the pair is rejected, the mentee left with it is told why too.
    services.match_reject(match=proposed, decided_by=coordinator)
    why = {item.member.name: item.reason for item in matching.unmatched()}
    assert why[proposed.mentee.name] == (
        "Each mentor who could mentor them (Mae) was rejected for them, or paired with them, "
        "before."
    )
    assert why[left_out] == "Mae could mentor them now: propose pairs again."


def test_why_members_are_left_without_a_mentor_is_read_in_the_same_queries_however_many(
    django_assert_num_queries,
):
    """The reasons name mentors: read with the members, not one by one."""
    member("Mae", seniority=3, offers=True, topics=["Leadership"])
    member("Nia", seniority=5, seeks=True, topics=["Leadership"])
    with CaptureQueriesContext(connection) as few:
        (why,) = matching.unmatched()
    assert "(Mae)" in why.reason
    for n in range(5):
        member(f"Mentor {n}", seniority=4, offers=True, topics=["Leadership"])

    with django_assert_num_queries(len(few.captured_queries)):
        (why,) = matching.unmatched()

    assert "Mentor 0" in why.reason


def test_proposing_reads_the_network_in_eight_queries_however_many_members(
    django_assert_num_queries,
):
    for n in range(3):
        member(f"Mentor {n}", seniority=6, offers=True, capacity=2, topics=["Leadership", "Data"])
        member(f"Mentee {n}", seniority=2, seeks=True, topics=["Data"])
    with django_assert_num_queries(8):
        proposals = matching.propose()
    assert len(proposals) == 3
    assert all(p.reasons[0] == "Shared topics: Data" for p in proposals)


def test_each_fit_is_explained_as_the_sum_of_its_parts(client_for, coordinator):
    member(
        "Mae", org="Brent", seniority=5, offers=True, capacity=2,
        topics=["Leadership", "Data", "Cyber security"],
    )  # fmt: skip
    member("Nia", org="Camden", seniority=3, seeks=True, topics=["Leadership", "Data"])
    member("Ola", org="Brent", seniority=1, seeks=True, topics=["Data"], prefers_other=False)
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))

    page = client.get(reverse("network:mentoring"))
    fits = {pair.mentee.name: pair for pair in page.context["proposed"]}
    nia, ola = fits["Nia"], fits["Ola"]
    assert [part.words for part in nia.fit.parts] == [
        "2 shared topics × 10 = 20",
        "from different organisations +5",
        "the mentee asked for someone from another organisation +5",
        "mentor 2 levels more senior +3",
    ]
    assert [part.words for part in ola.fit.parts] == [
        "1 shared topic × 10 = 10",
        "mentor 4 levels more senior +1",
    ]
    for pair in (nia, ola):
        assert pair.fit.total == sum(part.points for part in pair.fit.parts) == pair.score
    html = page.content.decode()
    assert "Fit: 33" in html
    assert "In all: 20 + 5 + 5 + 3 = 33" in html
    assert "In all: 10 + 1 = 11" in html


def test_the_explanation_and_the_score_come_from_the_same_parts():
    # Every pair of a small network, possible or not, scored the way matching scores it.
    people = [
        member(f"M{n}", org=org, seniority=level, offers=True, seeks=True, topics=topics,
               prefers_other=bool(n % 2))
        for n, (org, level, topics) in enumerate([
            ("Brent", 8, ["Leadership", "Data"]), ("Camden", 6, ["Data"]),
            ("Brent", 3, ["Leadership", "Data", "Cyber security"]), ("Ealing", 1, ["Data"]),
            ("Camden", 2, ["Cyber security"]),
        ])
    ]  # fmt: skip
    topic_index = matching._topic_index(people)
    scores = matching._grid(people, people, topic_index, set()).scores()
    for row, mentee in enumerate(people):
        for col, mentor in enumerate(people):
            fit = matching.explain(mentor, mentee)
            assert fit.total == scores[row, col] == matching.fit(mentor, mentee)
            if fit.possible:
                assert fit.total == sum(part.points for part in fit.parts) > 0


def pair_of(mentee):
    return MentoringMatch.objects.get(mentee=mentee, status=MatchStatus.PROPOSED)


def test_a_coordinator_swaps_the_mentors_of_two_pairs(client_for, coordinator):
    # Both mentors can take one mentee only: a swap must not count the two pairs being
    # swapped against them.
    ada = member("Ada", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    bel = member("Bel", org="Ealing", seniority=8, offers=True, topics=["Leadership"])
    cat = member("Cat", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    dot = member("Dot", org="Harrow", seniority=3, seeks=True, topics=["Leadership"])
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))
    before = {pair_of(cat).mentor, pair_of(dot).mentor}
    assert before == {ada, bel}
    page = client.get(reverse("network:mentoring")).content.decode()
    assert "Swap the mentors of two pairs" in page

    response = client.post(
        reverse("network:mentoring"),
        {"action": "swap", "first": pair_of(cat).pk, "second": pair_of(dot).pk},
        follow=True,
    )

    page = response.content.decode()
    assert "Mentors swapped." in page
    cat_pair, dot_pair = pair_of(cat), pair_of(dot)
    assert (cat_pair.mentor, dot_pair.mentor) in {(ada, bel), (bel, ada)}
    assert {cat_pair.mentor, dot_pair.mentor} == before
    assert f"{cat_pair.mentor.name} to mentor Cat" in page
    assert "Swapped by a coordinator" in page
    assert cat_pair.score == matching.fit(cat_pair.mentor, cat)
    assert MentoringMatch.objects.count() == 2


def test_a_swap_is_refused_if_a_new_pair_could_not_work(client_for, coordinator):
    head = member("Head", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    officer = member("Officer", org="Ealing", seniority=3, offers=True, topics=["Leadership"])
    apprentice = member("Apprentice", org="Camden", seniority=1, seeks=True, topics=["Leadership"])
    lead = member("Lead", org="Harrow", seniority=5, seeks=True, topics=["Leadership"])
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))
    assert (pair_of(apprentice).mentor, pair_of(lead).mentor) == (officer, head)

    response = client.post(
        reverse("network:mentoring"),
        {"action": "swap", "first": pair_of(apprentice).pk, "second": pair_of(lead).pk},
        follow=True,
    )

    assert "A mentor must be more senior than their mentee." in response.content.decode()
    assert (pair_of(apprentice).mentor, pair_of(lead).mentor) == (officer, head)


def test_swapping_needs_two_different_pairs(client_for, coordinator):
    member("Ada", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    member("Bel", org="Ealing", seniority=8, offers=True, topics=["Leadership"])
    cat = member("Cat", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    member("Dot", org="Harrow", seniority=2, seeks=True, topics=["Leadership"])
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))
    mentor = pair_of(cat).mentor

    response = client.post(
        reverse("network:mentoring"),
        {"action": "swap", "first": pair_of(cat).pk, "second": pair_of(cat).pk},
    )

    assert "Choose a different pair from the first" in response.content.decode()
    assert pair_of(cat).mentor == mentor


def test_running_again_replaces_the_proposals_with_one_audit_row_each_and_no_reads(
    coordinator, django_assert_max_num_queries
):
    """Each proposal replaced is logged by its pair (an audit row each), the pairs read
    with them rather than two queries a proposal."""
    for n in range(2):
        member(f"Mentor {n}", seniority=8, offers=True, capacity=2, topics=["Leadership"])
    for n in range(2):
        member(f"Mentee {n}", seniority=2, seeks=True, topics=["Leadership"])
    services.matching_run(run_by=coordinator)
    with CaptureQueriesContext(connection) as few:
        services.matching_run(run_by=coordinator)
    for n in range(2, 8):
        member(f"Mentee {n}", seniority=2, seeks=True, topics=["Leadership"])
    services.matching_run(run_by=coordinator)
    assert MentoringMatch.objects.filter(status=MatchStatus.PROPOSED).count() == 4

    with django_assert_max_num_queries(len(few.captured_queries) + 2):  # 2 more replaced
        replaced = services.matching_run(run_by=coordinator)

    assert len(replaced) == 4
    deleted = LogEntry.objects.filter(action=LogEntry.Action.DELETE)
    assert deleted.filter(object_repr="Mentor 0 → Mentee 0").exists()


def test_confirming_rechecks_the_mentors_capacity(coordinator):
    mentor = member("Mentor", seniority=7, offers=True, capacity=2, topics=["Leadership"])
    member("One", seniority=2, seeks=True, topics=["Leadership"])
    member("Two", seniority=2, seeks=True, topics=["Leadership"])
    first, second = services.matching_run(run_by=coordinator)
    services.profile_update(membership=mentor, mentee_capacity=1)  # she has less time now

    services.match_confirm(match=first, decided_by=coordinator)
    with pytest.raises(services.NotAllowed, match=r"Mentor has no room for another mentee\."):
        services.match_confirm(match=second, decided_by=coordinator)

    second.refresh_from_db()
    assert second.status == MatchStatus.PROPOSED
    assert mentor.mentoring.filter(status=MatchStatus.CONFIRMED).count() == 1


def test_a_mentor_who_is_full_cannot_be_given_another_mentee(coordinator):
    full = member("Full", org="Brent", seniority=8, offers=True, topics=["Leadership"])
    member("Free", org="Ealing", seniority=7, offers=True, topics=["Leadership"])
    member("Ann", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    member("Bea", org="Harrow", seniority=2, seeks=True, topics=["Leadership"])
    taken, other = sorted(services.matching_run(run_by=coordinator), key=lambda m: m.mentor != full)
    services.match_confirm(match=taken, decided_by=coordinator)
    with pytest.raises(services.NotAllowed, match=r"Full has no room for another mentee\."):
        services.match_change_mentor(match=other, mentor=full, decided_by=coordinator)


def _needs_postgresql():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs this on PostgreSQL")
        pytest.skip("Concurrent writes are checked on PostgreSQL (set DATABASE_URL)")
    # Tests on real transactions start from what the one before left, which may be an
    # empty database: the organisation these members join is set up here.
    Organisation.objects.get_or_create(name="Hackney", defaults={"kind": Organisation.Kind.BOROUGH})


def _in_a_second_connection(action):
    """Start ``action`` in a thread with its own database connection; returns the thread
    and a list that will hold what it returned or raised."""
    outcome = []

    def run():
        try:
            outcome.append(action())
        except Exception as error:  # checked by the test
            outcome.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_confirmations_at_once_cannot_overfill_a_mentor():
    _needs_postgresql()
    mentor = member("Mentor", seniority=7, offers=True, capacity=2, topics=["Leadership"])
    member("One", seniority=2, seeks=True, topics=["Leadership"])
    member("Two", seniority=2, seeks=True, topics=["Leadership"])
    first, second = services.matching_run(run_by=None)
    services.profile_update(membership=mentor, mentee_capacity=1)

    with transaction.atomic():
        services.match_confirm(match=first, decided_by=None)
        # A second coordinator confirms the other pair while the first is still saving.
        thread, outcome = _in_a_second_connection(
            lambda: services.match_confirm(match=second, decided_by=None)
        )
        time.sleep(0.5)
    thread.join(timeout=10)

    assert isinstance(outcome[0], services.NotAllowed)
    assert mentor.mentoring.filter(status=MatchStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_matching_runs_at_once_propose_one_mentor_per_mentee():
    _needs_postgresql()
    member("Mentor", seniority=7, offers=True, topics=["Leadership"])
    mentee = member("Mentee", seniority=2, seeks=True, topics=["Leadership"])

    with transaction.atomic():
        services.matching_run(run_by=None)
        thread, outcome = _in_a_second_connection(lambda: services.matching_run(run_by=None))
        time.sleep(0.5)
    thread.join(timeout=10)

    assert not isinstance(outcome[0], Exception), outcome[0]
    assert [m.mentee for m in outcome[0]] == [mentee]
    assert MentoringMatch.objects.filter(status=MatchStatus.PROPOSED).count() == 1


def test_proposing_again_asks_first_when_pairs_wait_for_a_decision(client_for, coordinator):
    member("Mentor Mae", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    member("Mentee Nia", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))  # nothing waits: it proposes at once
    (first,) = MentoringMatch.objects.all()

    asked = client.post(reverse("network:mentoring"))
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "Propose pairs again?" in html
    assert "1 proposed pair has not been confirmed or rejected yet." in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert list(MentoringMatch.objects.all()) == [first]  # asking changed nothing

    client.post(reverse("network:mentoring"), {"confirmed": "yes"})
    (second,) = MentoringMatch.objects.all()
    assert second.pk != first.pk


def test_a_rejection_can_be_undone_while_the_pair_still_can_be(client_for, coordinator):
    mae = member("Mentor Mae", org="Brent", seniority=7, offers=True, topics=["Leadership"])
    member("Mentee Nia", org="Camden", seniority=2, seeks=True, topics=["Leadership"])
    client = client_for(coordinator)
    client.post(reverse("network:mentoring"))
    match = MentoringMatch.objects.get()
    rejected = client.post(reverse("network:match_reject", args=[match.pk]), follow=True)
    html = rejected.content.decode()
    assert "To undo this, see “Rejected in the last day” below." in html
    assert "Undo the rejection" in html

    client.post(reverse("network:match_action", args=[match.pk, "unreject"]))
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (MatchStatus.PROPOSED, None)
    assert "Undo the rejection" not in client.get(reverse("network:mentoring")).content.decode()

    # Not once the mentor has no room left for the mentee.
    client.post(reverse("network:match_reject", args=[match.pk]))
    member("Mentee Ola", org="Ealing", seniority=1, seeks=True, topics=["Leadership"])
    client.post(reverse("network:mentoring"), {"confirmed": "yes"})
    assert MentoringMatch.objects.get(status=MatchStatus.PROPOSED).mentor == mae  # Ola's
    refused = client.post(reverse("network:match_action", args=[match.pk, "unreject"]), follow=True)
    assert "has no room for another mentee" in refused.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        later = client.get(reverse("network:mentoring")).content.decode()
    assert "Rejected in the last day" not in later
