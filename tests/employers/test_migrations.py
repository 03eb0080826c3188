"""Data migrations of the employer survey, run for real against the test database."""

import datetime

import pytest

from reporting.releases import release_tables
from tests.migrations import migrate, migrate_to_latest

BEFORE = [("employers", "0004_queued_email_to_outbox"), ("reporting", "0002_publications")]
AFTER = [("reporting", "0003_release_tables_hold_rankings")]


@pytest.mark.django_db(transaction=True)
def test_a_kept_ranking_moves_into_its_release_tables_keyed_by_skill():
    old = migrate(BEFORE)
    Survey, Skill = old.get_model("employers", "Survey"), old.get_model("employers", "Skill")
    Release = old.get_model("reporting", "Release")
    ContentType = old.get_model("contenttypes", "ContentType")
    when = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
    survey = Survey.objects.create(
        title="Old",
        slug="old",
        opens_at=when,
        closes_at=when + datetime.timedelta(days=30),
        introduction="",
        privacy_notice="",
    )
    coding = Skill.objects.create(survey=survey, name="Coding")
    surveys, _ = ContentType.objects.get_or_create(app_label="employers", model="survey")
    kept = Release.objects.create(
        questionnaire_type=surveys,
        questionnaire_id=survey.pk,
        number=1,
        published_at=when,
        summary="First look.",
        tables={},
        extra={"ranking": [{"name": "Coding", "points": 30, "in_top_five": 6}], "counted": 6},
    )
    try:
        new = migrate(AFTER)
        release = new.get_model("reporting", "Release").objects.get(pk=kept.pk)
        assert release.summary == "First look."
        (ranking,) = release_tables(release).values()
        assert ranking.respondents.count == 6
        assert [(i.key, i.label, i.points.count, i.in_top.count) for i in ranking.items] == [
            (coding.pk, "Coding", 30, 6)
        ]
    finally:
        migrate_to_latest()
