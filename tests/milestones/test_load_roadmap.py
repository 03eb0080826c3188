import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from milestones.models import Activity, Deliverable, Partner, Precision
from milestones.services import ROADMAP_DATA, activity_update, roadmap_load

D, M = Precision.DAY, Precision.MONTH

# Every row of the commission's roadmap document: title, start, end, bullets, partners.
# Written out by hand from the document so that the data file is checked against it.
EXPECTED = [
    ("Data analysis", (2020, 11, M), (2021, 1, M), 2, []),
    ("Literature review", (2021, 1, M), (2021, 6, M), 1, []),
    ("Cabinet Paper", (2021, 7, M), None, 0, []),
    ("Inaugural Advisory Group Meeting", (2021, 9, M), None, 0, []),
    ("Community consultation", (2021, 11, M), (2022, 4, M), 3, []),
    ("Advisory Group Meeting", (2022, 4, M), None, 0, []),
    ("Employer survey", (2022, 2, M), (2022, 4, M), 3, []),
    ("Advisory Group Meeting", (2022, 6, M), None, 0, []),
    ("Roundtable discussion", (2022, 6, M), None, 1, []),
    ("Advisory Group Meeting", (2022, 10, M), None, 0, []),
    ("Advisory Group Meeting", (2022, 11, M), None, 0, []),
    ("Launch event: Breaking the Barriers", (2022, 11, M), None, 2, ["Here East"]),
    ("London Tech Week Event", (2023, 6, M), None, 2, ["Here East"]),
    ("Anti Racist Summit 2023: Partnerships Day Event", (2023, 11, 21, D), None, 1, []),
    (
        "Enhanced Digital Tech Skills and Training Offer for Residents",
        (2024, 2, M),
        None,
        1,
        ["JSFL"],
    ),
    ("London Tech Week Event", (2024, 6, M), None, 3, ["Here East", "LIFT"]),
]


def _as_date(parts):
    *ymd, precision = parts
    day = datetime.date(ymd[0], ymd[1], ymd[2] if precision == D else 1)
    return day, precision


def test_loads_every_row_with_its_dates_at_the_source_precision(db):
    roadmap_load()

    activities = list(Activity.objects.order_by("pk").prefetch_related("partners", "deliverables"))
    assert len(activities) == 16
    for activity, (title, start, end, bullets, partners) in zip(activities, EXPECTED, strict=True):
        assert activity.title == title
        assert (activity.starts_on, activity.starts_precision) == _as_date(start)
        if end is None:
            assert activity.ends_on is None
        else:
            assert (activity.ends_on, activity.ends_precision) == _as_date(end)
        assert activity.deliverables.count() == bullets
        assert sorted(p.name for p in activity.partners.all()) == partners
        assert activity.is_public


def test_bullets_are_kept_word_for_word(db):
    roadmap_load()

    ltw_2024 = Activity.objects.get(slug="london-tech-week-event-2024")
    assert [d.text for d in ltw_2024.deliverables.all()] == [
        "Peer-to-peer community showcase: Community led advice, coaching and mentorship "
        "to help peers access digital tech careers",
        "Delivered in Partnership with LIFT",
        "Here East Partnership Event",
    ]
    assert Deliverable.objects.count() == 19
    assert set(Partner.objects.values_list("name", flat=True)) == {"Here East", "LIFT", "JSFL"}


def test_only_the_summit_has_an_exact_day(db):
    roadmap_load()

    day_precise = Activity.objects.filter(starts_precision=D)
    assert [a.title for a in day_precise] == ["Anti Racist Summit 2023: Partnerships Day Event"]
    assert all(a.starts_on.day == 1 for a in Activity.objects.filter(starts_precision=M))


def test_running_twice_changes_nothing(db):
    first = roadmap_load()
    before = list(Activity.objects.values().order_by("pk"))

    second = roadmap_load()

    assert (first.activities_created, second.activities_created) == (16, 0)
    assert second.activities_kept == 16
    assert list(Activity.objects.values().order_by("pk")) == before
    assert Deliverable.objects.count() == 19
    assert Partner.objects.count() == 3


def test_staff_edits_survive_a_reload(db):
    roadmap_load()
    summit = Activity.objects.get(slug="anti-racist-summit-2023-partnerships-day")
    activity_update(
        activity=summit,
        title="Anti-Racist Summit 2023",
        deliverables=["Showcase with the business community"],
        is_public=False,
    )

    roadmap_load()

    summit.refresh_from_db()
    assert summit.title == "Anti-Racist Summit 2023"
    assert not summit.is_public
    assert [d.text for d in summit.deliverables.all()] == ["Showcase with the business community"]
    assert Activity.objects.count() == 16


def test_the_data_file_records_each_date_as_the_document_gives_it():
    data = json.loads(ROADMAP_DATA.read_text(encoding="utf-8"))

    assert [row["source_dates"] for row in data["activities"]] == [
        "Nov 2020 - Jan 2021",
        "Jan 2021 - Jun 2021",
        "Jul 2021",
        "Sep 2021",
        "Nov 2021 -Apr 2022",
        "Apr 2022",
        "Feb 2022 - Apr 2022",
        "Jun 2022",
        "June 2022",
        "Oct 2022",
        "Nov 2022B",
        "Nov. 2022",
        "Jun. 2023",
        "21 Nov 2023",
        "Feb 2024",
        "June 2024",
    ]


def test_command_reports_what_it_did(db):
    out = StringIO()
    call_command("load_roadmap", stdout=out)
    call_command("load_roadmap", stdout=out)

    assert "16 activities added" in out.getvalue()
    assert "0 activities added, 16 already present" in out.getvalue()


@pytest.mark.parametrize(("starts", "precision"), [("2020-11", M), ("2023-11-21", D)])
def test_loader_accepts_both_precisions(db, starts, precision):
    data = {
        "workstreams": [{"key": "w", "name": "W"}],
        "activities": [
            {
                "key": "a",
                "workstream": "w",
                "kind": "event",
                "title": "A",
                "starts": starts,
                "ends": None,
                "deliverables": [],
                "partners": [],
            }
        ],
    }
    roadmap_load(data=data)
    assert Activity.objects.get().starts_precision == precision
