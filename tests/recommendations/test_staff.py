"""Commission staff write recommendations, trace them to evidence found by search, post
progress and check quotes; nobody else can."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from accounts.models import User
from recommendations import services
from recommendations.models import Evidence, Quote, Recommendation, Status
from tests.conftest import date_input
from tests.milestones.factories import ActivityFactory

from .factories import CHILDCARE, published_consultation, recommendation, rest_on_theme

pytestmark = pytest.mark.django_db


def staff_urls(made, evidence=None):
    urls = [
        reverse("recommendations:staff_list"),
        reverse("recommendations:staff_create"),
        reverse("recommendations:staff_detail", args=[made.pk]),
        reverse("recommendations:staff_edit", args=[made.pk]),
        reverse("recommendations:staff_evidence", args=[made.pk]),
        reverse("recommendations:staff_documents"),
        reverse("recommendations:staff_document_create"),
    ]
    if evidence is not None:
        urls.append(reverse("recommendations:staff_quotes", args=[made.pk, evidence.pk]))
    return urls


def test_only_commission_staff_and_admins_open_the_staff_pages(
    client_for, commission_staff, coordinator, member, admin
):
    made = recommendation(publish=False)
    for user, allowed in ((commission_staff, True), (admin, True), (coordinator, False)):
        for url in staff_urls(made):
            assert client_for(user).get(url).status_code == (200 if allowed else 403), (user, url)
    for url in staff_urls(made):
        assert client_for(member).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302


def test_staff_write_trace_and_publish_a_recommendation(client_for, commission_staff):
    published_consultation()
    done = ActivityFactory(title="Skills offer for residents", starts_on="2024-02-01")
    client = client_for(commission_staff)
    created = client.post(
        reverse("recommendations:staff_create"),
        {
            "number": "4",
            "title": "Childcare for learners",
            "text": "Fund childcare for residents on courses.",
            "owner": "Employment and Skills",
        },
    )
    made = Recommendation.objects.get(number=4)
    assert created.url == reverse("recommendations:staff_detail", args=[made.pk])
    assert made.slug == "4-childcare-for-learners"
    assert not made.is_published

    search = client.get(
        reverse("recommendations:staff_evidence", args=[made.pk]), {"q": "childcare"}
    )
    (figure,) = [f for f in search.context["found"].figures if f.table.startswith("themes|")]
    assert figure.label == CHILDCARE
    assert figure.figure.count == 24
    added = client.post(
        f"{reverse('recommendations:staff_evidence', args=[made.pk])}?q=childcare",
        {
            "kind": "figure",
            "release": figure.release.pk,
            "table": figure.table,
            "row_key": figure.row_key,
            "note": "Most raised",
        },
    )
    assert added.status_code == 302
    evidence = made.evidence.get()
    assert (evidence.theme.name, evidence.note) == (CHILDCARE, "Most raised")

    detail = reverse("recommendations:staff_detail", args=[made.pk])
    client.post(detail, {"action": "action", "action-activity": done.pk})
    assert made.actions.get().activity == done
    client.post(detail, {"action": "publish"})
    made.refresh_from_db()
    assert made.is_published
    posted = client.post(
        detail,
        {"action": "progress", "status": Status.ACCEPTED, "text": "", "status_reason": "",
         **date_input("written_on", made.created_at.date())},
    )  # fmt: skip
    assert posted.status_code == 302
    made.refresh_from_db()
    assert made.status == Status.ACCEPTED
    assert made.updates.get().posted_by == commission_staff


def test_a_reason_is_asked_for_beside_its_field_and_nothing_changes(client_for, commission_staff):
    made = recommendation()
    page = client_for(commission_staff).post(
        reverse("recommendations:staff_detail", args=[made.pk]),
        {"action": "progress", "status": Status.NOT_TAKEN_FORWARD, "text": "We stopped.",
         "status_reason": "", **date_input("written_on", made.created_at.date())},
    )  # fmt: skip
    assert page.status_code == 200
    assert page.context["progress_form"].errors["status_reason"] == [
        "Say why the recommendation is not being taken forward"
    ]
    assert "We stopped.</textarea>" in page.content.decode()  # what was typed is kept
    made.refresh_from_db()
    assert made.status == Status.PROPOSED
    assert not made.updates.exists()


def test_a_taken_number_is_refused_beside_the_number(client_for, commission_staff):
    recommendation(5)
    page = client_for(commission_staff).post(
        reverse("recommendations:staff_create"),
        {"number": "5", "title": "Another", "text": "Text", "owner": "Team"},
    )  # fmt: skip
    assert page.status_code == 200
    assert "Another recommendation already has this number." in page.content.decode()
    assert Recommendation.objects.count() == 1


def test_staff_quote_an_answer_and_check_it(client_for, commission_staff, client):
    consultation = published_consultation()
    made = recommendation()
    evidence = rest_on_theme(made, consultation, CHILDCARE)
    url = reverse("recommendations:staff_quotes", args=[made.pk, evidence.pk])
    staff = client_for(commission_staff)
    page = staff.get(url)
    answer = page.context["answers"][0]
    assert "my name is Ada" in page.content.decode()  # staff see the words to cut from
    staff.post(url, {"action": "add", "response": answer.pk, "text": "I cannot study [...]"})
    quote = Quote.objects.get()
    assert not quote.fit_to_publish
    staff.post(url, {"action": "check", "quote": quote.pk})
    quote.refresh_from_db()
    assert (quote.fit_to_publish, quote.checked_by) == (True, commission_staff)
    assert "I cannot study [...]" in client_for(None).get(made.get_absolute_url()).content.decode()
    client_for(commission_staff).post(url, {"action": "remove", "quote": quote.pk})
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "figure", "release": "99999999999999999999", "table": "x", "row_key": "1"},
        {"kind": "figure", "release": "-1", "table": "themes|sex", "row_key": "1"},
        {"kind": "activity", "activity": "abc"},
        {"kind": "document", "document": "0"},
        {"kind": "nonsense"},
        {},
    ],
)
def test_forged_evidence_is_refused_with_a_message(client_for, commission_staff, data):
    made = recommendation()
    page = client_for(commission_staff).post(
        reverse("recommendations:staff_evidence", args=[made.pk]), data
    )
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert not Evidence.objects.exists()


def test_the_public_pages_make_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    consultation = published_consultation()
    for number in range(1, 6):
        made = recommendation(number)
        rest_on_theme(made, consultation, CHILDCARE)
        services.action_add(recommendation=made, activity=ActivityFactory())
    urls = [
        reverse("recommendations:index"),
        made.get_absolute_url(),
        reverse("recommendations:you_said_we_did", args=[consultation.slug]),
        reverse("recommendations:evidence"),
    ]
    for url in urls:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_quoting_needs_leave_to_read_residents_answers(client_for, commission_staff):
    consultation = published_consultation()
    made = recommendation()
    evidence = rest_on_theme(made, consultation, CHILDCARE)
    url = reverse("recommendations:staff_quotes", args=[made.pk, evidence.pk])
    Group.objects.get(name=roles.COMMISSION_STAFF).permissions.remove(
        Permission.objects.get(codename="view_response", content_type__app_label="consultation")
    )
    staff = User.objects.get(pk=commission_staff.pk)  # its permissions read afresh
    assert client_for(staff).get(url).status_code == 403


def test_a_refused_file_is_told_once_and_why(client_for, commission_staff):
    page = client_for(commission_staff).post(
        reverse("recommendations:staff_document_create"),
        {"title": "Report", "kind": "report", "published_month": "11",
         "published_year": "2022", "summary": "What we found.",
         "file": SimpleUploadedFile("report.pdf", b"not a pdf")},
    )  # fmt: skip
    assert page.context["form"].errors["file"] == [
        "The selected file must be a PDF, Word (DOCX), OpenDocument (ODT) or Excel (XLSX) file"
    ]
