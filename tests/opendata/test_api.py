"""The open data API gives what the public pages show and nothing more: published
recommendations, public activities, findings only as their release published them (a
suppressed count is null), with ETags, pages and CSV."""

import csv
import io
import json

import pytest
from django.urls import reverse

from recommendations import services
from surveys.publishing import findings_withdraw
from tests.consultation.factories import ConsultationFactory, submit
from tests.milestones.factories import ActivityFactory
from tests.recommendations.factories import (
    CHILDCARE,
    TRAVEL,
    published_consultation,
    recommendation,
    rest_on_theme,
)

pytestmark = pytest.mark.django_db


def everything(client) -> str:
    """Every JSON and CSV document the API serves now, as one text."""
    texts = []
    for name in ("activities", "recommendations", "findings", "events"):
        listing = client.get(f"/api/v1/{name}", {"limit": 100}).json()
        texts.append(json.dumps(listing))
        if name != "findings":  # each findings' CSV is read below
            csv_file = client.get(f"/api/v1/{name}.csv")
            texts.append(b"".join(csv_file.streaming_content).decode())
        if name == "recommendations":
            for item in listing["items"]:
                texts.append(client.get(f"/api/v1/recommendations/{item['slug']}").content.decode())
        if name == "findings":
            for item in listing["items"]:
                path = f"/api/v1/findings/{item['questionnaire']}/{item['slug']}"
                texts.append(client.get(path).content.decode())
                texts.append(b"".join(client.get(f"{path}.csv").streaming_content).decode())
    return "\n".join(texts)


def test_nothing_unpublished_ever_appears(client):
    consultation = published_consultation()
    made = recommendation(1, title="Published-rec-1A")
    rest_on_theme(made, consultation, CHILDCARE)
    draft = recommendation(2, title="Draft-rec-2B", publish=False)
    hidden = ActivityFactory(title="Hidden-activity-3C", is_public=False)
    services.action_add(recommendation=made, activity=hidden)
    services.action_add(recommendation=draft, activity=ActivityFactory(title="Shown-activity"))
    open_one = ConsultationFactory(title="Open-consultation-4D")
    submit(open_one)

    text = everything(client)
    assert "Published-rec-1A" in text
    assert "Shown-activity" in text
    for secret in ("Draft-rec-2B", "Hidden-activity-3C", "Open-consultation-4D"):
        assert secret not in text
    assert client.get(f"/api/v1/recommendations/{draft.slug}").status_code == 404
    assert client.get(f"/api/v1/activities/{hidden.slug}").status_code == 404

    findings_withdraw(questionnaire=consultation)
    text = everything(client)
    assert consultation.title not in text
    shown = client.get(f"/api/v1/recommendations/{made.slug}").json()
    assert (shown["evidence"], shown["withheld_figures"]) == ([], 1)


def test_a_suppressed_count_is_null_and_never_its_value(client):
    consultation = published_consultation()
    detail = client.get(f"/api/v1/findings/consultation/{consultation.slug}").json()
    themes = next(t for t in detail["tables"] if t["name"] == "themes|sex")
    travel = next(r for r in themes["rows"] if r["label"] == TRAVEL)
    assert travel["total"] == {"count": None, "percent": None, "shown": "fewer than 5"}
    childcare = next(r for r in themes["rows"] if r["label"] == CHILDCARE)
    assert childcare["total"]["count"] == 24
    # In the CSV too: every small or hidden figure is an empty count.
    lines = b"".join(
        client.get(f"/api/v1/findings/consultation/{consultation.slug}.csv").streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(lines)))
    assert rows
    for row in rows:
        if row["shown"] in ("hidden", "fewer than 5"):
            assert row["count"] == row["percent"] == ""


def test_an_unchanged_response_is_not_sent_twice(client):
    recommendation(1)
    first = client.get("/api/v1/recommendations")
    assert first.status_code == 200
    again = client.get("/api/v1/recommendations", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    recommendation(2)
    changed = client.get("/api/v1/recommendations", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed.json()["count"] == 2


def test_lists_come_a_page_at_a_time(client):
    for number in range(1, 8):
        recommendation(number)
    page = client.get("/api/v1/recommendations", {"limit": 3, "offset": 3}).json()
    assert page["count"] == 7
    assert [item["number"] for item in page["items"]] == [4, 5, 6]
    assert client.get("/api/v1/recommendations", {"limit": 101}).status_code == 422
    assert client.get("/api/v1/recommendations", {"status": "maybe"}).status_code == 422


def test_the_documentation_lists_every_call_of_the_schema(client):
    schema = client.get(reverse("api_schema")).json()
    assert schema["openapi"].startswith("3.")
    page = client.get(reverse("api_home")).content.decode()
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in page


def test_an_unreadable_address_is_a_documented_400(client):
    assert client.get("/api/v1/activities", {"q": "a\x00b"}).status_code == 400
    schema = client.get(reverse("api_schema")).json()
    for methods in schema["paths"].values():
        for operation in methods.values():
            assert "400" in operation["responses"]


def test_an_unknown_address_says_what_is_not_there(client):
    page = client.get("/api/v1/recommendations/no-such-thing")
    assert page.status_code == 404
    assert "No published recommendation has this address." in page.json()["detail"]
