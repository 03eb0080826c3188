import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from milestones.models import (
    Activity,
    AdvisoryMeeting,
    Deliverable,
    LoadedRoadmapRow,
    Partner,
    Precision,
    Workstream,
)
from milestones.services import ROADMAP_DATA, activity_update, roadmap_load

D, M = Precision.DAY, Precision.MONTH

# Every row of the commission's roadmap document: title, the portal's kind for it, start, end,
# bullet points word for word, partners. Written out by hand from the document so that the
# data file is checked against it.
EXPECTED = [
    (
        "Data analysis",
        "analysis",
        (2020, 11, M),
        (2021, 1, M),
        [
            "Identify STEM economic opportunity in Hackney",
            "Digital tech identified as most relevant sub-sector",
        ],
        [],
    ),
    (
        "Literature review",
        "literature_review",
        (2021, 1, M),
        (2021, 6, M),
        [
            "Synthesis of the existing data and information on skills demand and participation "
            "and representation in digital tech skills and employment"
        ],
        [],
    ),
    ("Cabinet Paper", "paper", (2021, 7, M), None, [], []),
    ("Inaugural Advisory Group Meeting", "advisory_meeting", (2021, 9, M), None, [], []),
    (
        "Community consultation",
        "consultation",
        (2021, 11, M),
        (2022, 4, M),
        [
            "Barriers to digital tech employment and skills",
            "What changes did residents ask for",
            "What changes did different community groups ask for",
        ],
        [],
    ),
    ("Advisory Group Meeting", "advisory_meeting", (2022, 4, M), None, [], []),
    (
        "Employer survey",
        "survey",
        (2022, 2, M),
        (2022, 4, M),
        [
            "Barriers to local recruitment for digital tech",
            "What changes did employers ask for",
            "Top skills for an entry-level role",
        ],
        [],
    ),
    ("Advisory Group Meeting", "advisory_meeting", (2022, 6, M), None, [], []),
    (
        "Roundtable discussion",
        "roundtable",
        (2022, 6, M),
        None,
        ["Solution ideas to address barriers"],
        [],
    ),
    ("Advisory Group Meeting", "advisory_meeting", (2022, 10, M), None, [], []),
    ("Advisory Group Meeting", "advisory_meeting", (2022, 11, M), None, [], []),
    (
        "Launch event: Breaking the Barriers",
        "event",
        (2022, 11, M),
        None,
        ["DiT Report & Recommendations launched", "Here East Partnership Event"],
        ["Here East"],
    ),
    (
        "London Tech Week Event",
        "event",
        (2023, 6, M),
        None,
        ["Employer Showcase: Opening Doors to Diverse Talent", "Here East Partnership Event"],
        ["Here East"],
    ),
    (
        "Anti Racist Summit 2023: Partnerships Day Event",
        "event",
        (2023, 11, 21, D),
        None,
        ["Diversity in Tech showcase: How we are working with the business community"],
        [],
    ),
    (
        "Enhanced Digital Tech Skills and Training Offer for Residents",
        "programme",
        (2024, 2, M),
        None,
        ["JSFL Skills for London"],
        ["JSFL"],
    ),
    (
        "London Tech Week Event",
        "event",
        (2024, 6, M),
        None,
        [
            "Peer-to-peer community showcase: Community led advice, coaching and mentorship "
            "to help peers access digital tech careers",
            "Delivered in Partnership with LIFT",
            "Here East Partnership Event",
        ],
        ["Here East", "LIFT"],
    ),
]


def _as_date(parts):
    *ymd, precision = parts
    day = datetime.date(ymd[0], ymd[1], ymd[2] if precision == D else 1)
    return day, precision


def test_loads_every_row_with_its_kind_dates_bullets_and_partners(db):
    roadmap_load()

    activities = list(Activity.objects.order_by("pk").prefetch_related("partners", "deliverables"))
    loaded = [
        (
            activity.title,
            activity.kind,
            (activity.starts_on, activity.starts_precision),
            (activity.ends_on, activity.ends_precision) if activity.ends_on else None,
            [d.text for d in activity.deliverables.all()],
            sorted(p.name for p in activity.partners.all()),
        )
        for activity in activities
    ]
    assert loaded == [
        (title, kind, _as_date(start), _as_date(end) if end else None, bullets, partners)
        for title, kind, start, end, bullets, partners in EXPECTED
    ]
    assert all(activity.is_public for activity in activities)
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
    assert "0 activities added, 16 loaded before" in out.getvalue()


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


def test_an_activity_staff_deleted_stays_deleted(db):
    roadmap_load()
    Activity.objects.get(slug="cabinet-paper").delete()

    report = roadmap_load()

    assert report.activities_created == 0
    assert not Activity.objects.filter(title="Cabinet Paper").exists()
    assert Activity.objects.count() == 15


def test_a_workstream_whose_address_staff_changed_is_still_found(db):
    # Loaded from a first version of the document, then staff give it a new address.
    first_row, second_row = (
        {
            "key": key,
            "workstream": "governance",
            "kind": "advisory_meeting",
            "title": "Advisory Group Meeting",
            "starts": starts,
            "ends": None,
            "deliverables": [],
            "partners": [],
        }
        for key, starts in (("agm-2025-01", "2025-01"), ("agm-2025-06", "2025-06"))
    )
    workstreams = [{"key": "governance", "name": "Governance and advisory group"}]
    roadmap_load(data={"workstreams": workstreams, "activities": [first_row]})
    Workstream.objects.filter(slug="governance").update(slug="advisory-group")

    report = roadmap_load(data={"workstreams": workstreams, "activities": [first_row, second_row]})

    assert report.activities_created == 1
    assert Workstream.objects.get().slug == "advisory-group"
    assert set(Activity.objects.values_list("workstream__slug", flat=True)) == {"advisory-group"}


def test_a_workstream_staff_set_up_by_name_is_used_not_duplicated(db):
    governance = Workstream.objects.create(name="Governance and advisory group", slug="steering")

    roadmap_load()

    assert Workstream.objects.count() == 4
    assert governance.activities.count() == 6
    governance.refresh_from_db()
    assert (governance.slug, governance.source_key) == ("steering", "governance")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_calendar_uids_and_records_what_was_loaded():
    before = [("milestones", "0005_link_validators")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    workstream = old.get_model("milestones", "Workstream").objects.create(
        name="Governance and advisory group", slug="governance"
    )
    old_activity = old.get_model("milestones", "Activity").objects
    fields = {"workstream": workstream, "kind": "paper", "starts_on": datetime.date(2021, 7, 1)}
    old_activity.create(
        title="Cabinet Paper", slug="cabinet-paper", source_key="cabinet-paper", **fields
    )
    old_activity.create(title="Staff's own paper", slug="renamed-by-staff", **fields)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    uids = dict(Activity.objects.values_list("title", "calendar_uid"))
    assert uids == {
        "Cabinet Paper": "activity-cabinet-paper",
        "Staff's own paper": "activity-renamed-by-staff",
    }
    assert list(LoadedRoadmapRow.objects.values_list("key", flat=True)) == ["cabinet-paper"]
    assert Workstream.objects.get().source_key == "governance"
    # The next load neither duplicates the workstream nor brings back what is loaded.
    roadmap_load()
    assert Activity.objects.filter(title="Cabinet Paper").count() == 1
    assert Workstream.objects.count() == 4


def test_make_run_commands_work_with_debug_off_when_forced(db, settings):
    settings.DEBUG = False
    out = StringIO()

    call_command("load_roadmap", stdout=out)
    call_command("seed_demo", "--force", stdout=out)

    printed = out.getvalue()
    assert "16 activities added" in printed
    assert "staff@example.org" in printed
    assert "recovery codes: " in printed
    assert AdvisoryMeeting.objects.filter(attendance__member__email="member@example.org").exists()
