"""The open data API against its own OpenAPI schema: schemathesis makes requests from the
schema (every operation, hostile values included) and checks that none gets a 5xx and
every response matches what the schema says, with published data in the database."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.milestones.factories import ActivityFactory
from tests.recommendations.factories import (
    CHILDCARE,
    published_consultation,
    recommendation,
    rest_on_theme,
)


@pytest.fixture
def published(db):
    """Something in every list the API gives: findings, a recommendation resting on them,
    an activity."""
    consultation = published_consultation()
    made = recommendation(1)
    rest_on_theme(made, consultation, CHILDCARE)
    ActivityFactory(title="Tech Week showcase")
    # As Django's test client does: the test's transaction stays open between requests.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# The schema is served without the database, so it is read when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
# The same examples on every run (derandomised), so that a fresh clone passes on any day;
# a new example set comes with a change to the schema.
@settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema_and_never_fails(case, published):
    case.call_and_validate()
