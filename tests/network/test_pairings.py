"""Mentoring that lasts: a confirmed pair agrees goals, is asked monthly how it is going
(through the outbox), checks in, and ends with feedback from both; coordinators see pairs
quiet for two months; a mentee who wants another pairing is matched with someone new."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from network import selectors, services
from network.models import MatchStatus, MentoringFeedback
from notifications.models import Message
from tests.network.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(coordinator):
    """Mae mentors Bo, confirmed now."""
    member("Mae", org="Camden", seniority=7, offers=True, topics=["Data"], capacity=2)
    member("Bo", org="Brent", seniority=2, seeks=True, topics=["Data"])
    (match,) = services.matching_run(run_by=coordinator)
    return services.match_confirm(match=match, decided_by=coordinator)


def test_the_pair_agree_goals_and_check_in_and_only_they_see_their_page(pair, client_for):
    bo = client_for(pair.mentee.user)
    url = reverse("network:pairing", args=[pair.pk])
    assert "Enter the goals you agreed" in bo.post(url, {"form": "goals"}).content.decode()
    bo.post(url, {"form": "goals", "goals-goals": "Present the data strategy to the board"})
    bo.post(url, {"form": "check_in", "check_in-how": "difficult", "check_in-note": "Busy month"})
    mae = client_for(pair.mentor.user).get(url).content.decode()
    assert "Present the data strategy to the board" in mae
    assert "Busy month" not in mae  # the note is for the coordinators
    pair.refresh_from_db()
    assert pair.check_ins.get().how == "difficult"
    stranger = member("Cy", org="Ealing")
    assert client_for(stranger.user).get(url).status_code == 404
    with pytest.raises(services.NotAllowed):
        services.match_set_goals(match=pair, member=stranger, goals="Mine now")


def test_both_are_asked_monthly_how_it_is_going(pair):
    start = pair.decided_at
    prompts = Message.objects.filter(topic="network.check_in")
    for days, expected in ((29, 0), (31, 2), (31, 2), (45, 2), (62, 4)):
        services.check_in_prompts_due(now=start + datetime.timedelta(days=days))
        assert prompts.count() == expected, days
    assert set(prompts.values_list("recipient", flat=True)) == {
        pair.mentor.user.email,
        pair.mentee.user.email,
    }


def test_coordinators_see_pairs_quiet_for_two_months(pair, client_for, coordinator):
    later = pair.decided_at + datetime.timedelta(days=70)
    assert list(selectors.quiet_pairs(now=later)) == [pair]
    with time_machine.travel(pair.decided_at + datetime.timedelta(days=20)):
        services.match_check_in(match=pair, member=pair.mentor, how="well")
    assert list(selectors.quiet_pairs(now=later)) == []
    assert list(selectors.quiet_pairs(now=later + datetime.timedelta(days=20))) == [pair]
    page = client_for(coordinator).get(reverse("network:mentoring")).content.decode()
    assert "Recent check-ins" in page
    assert "Going well" in page


def test_ending_asks_both_for_feedback_once_and_the_mentee_is_matched_anew(
    pair, client_for, coordinator
):
    member("Nia", org="Ealing", seniority=6, offers=True, topics=["Data"])
    bo = client_for(pair.mentee.user)
    end = reverse("network:pairing_end", args=[pair.pk])
    assert "Select how useful the mentoring was" in bo.post(end, {}).content.decode()
    bo.post(end, {"useful": "4", "comments": "Good start"})
    pair.refresh_from_db()
    assert pair.status == MatchStatus.ENDED
    assert pair.ended_at is not None
    assert Message.objects.filter(topic="network.match_ended", recipient=pair.mentor.user.email)
    mae = client_for(pair.mentor.user)
    assert "Tell us how it went" in mae.get(reverse("network:me")).content.decode()
    mae.post(end, {"useful": "5"})
    assert set(MentoringFeedback.objects.values_list("role", "useful")) == {
        ("mentee", 4),
        ("mentor", 5),
    }
    with pytest.raises(services.NotAllowed):
        services.match_feedback(match=pair, member=pair.mentor, useful=1)
    (again,) = services.matching_run(run_by=coordinator)
    assert (again.mentee, again.mentor.name) == (pair.mentee, "Nia")  # never Mae again


def test_an_ended_pair_takes_no_more_check_ins(pair):
    services.match_end(match=pair, member=pair.mentor, useful=3)
    with pytest.raises(services.NotAllowed):
        services.match_check_in(match=pair, member=pair.mentee, how="well")
    assert not pair.check_ins.exists()
