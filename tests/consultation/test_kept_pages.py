"""A blank page of the questionnaire is kept ready-rendered between residents. A change to
its answer lists, by staff or in the admin, shows on the very next visit, and a resident's
own answers are never swapped for the blank page."""

import pytest
from django.test import Client
from django.urls import reverse

from consultation import services
from consultation.forms import BarriersForm
from consultation.models import Consultation, OptionKind, Ward
from tests.consultation.factories import ConsultationFactory, option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory(title="Digital tech: have your say")


def _page(client, consultation, step="barriers") -> str:
    response = client.get(reverse("consultation:step", args=[consultation.slug, step]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_blank_page_s_fields_are_kept_ready_for_visitors_it_is_rendered_for(
    client, consultation, member
):
    # A signed-in resident gets the page made for them (their name is on it), around the
    # fields kept ready: the same for everyone with nothing of theirs on the page yet.
    client.force_login(member)
    first = client.get(reverse("consultation:step", args=[consultation.slug, "barriers"]))

    again = client.get(reverse("consultation:step", args=[consultation.slug, "barriers"]))

    assert "includes/fields.html" in [t.name for t in first.templates]
    assert "includes/fields.html" not in [t.name for t in again.templates]
    html = again.content.decode()
    label = consultation.options.filter(kind=OptionKind.BARRIER).first().label
    assert label in html
    assert html.count('type="checkbox"') == first.content.decode().count('type="checkbox"') > 5


def test_an_answer_staff_rename_add_or_retire_shows_at_once(client, consultation):
    option = consultation.options.filter(kind=OptionKind.BARRIER).first()
    old_label = option.label
    assert old_label in _page(client, consultation)

    services.option_save(
        consultation=consultation, kind=option.kind, label="Courses cost too much", option=option
    )
    services.option_save(
        consultation=consultation, kind=OptionKind.BARRIER, label="No laptop at home"
    )

    html = _page(client, consultation)
    assert "Courses cost too much" in html
    assert "No laptop at home" in html
    assert old_label not in html

    services.option_save(
        consultation=consultation,
        kind=OptionKind.BARRIER,
        label="No laptop at home",
        option=consultation.options.get(label="No laptop at home"),
        is_active=False,
    )
    assert "No laptop at home" not in _page(client, consultation)


def test_an_answer_added_in_the_admin_shows_at_once(client, consultation, admin):
    _page(client, consultation)
    admin_client = Client()  # apart, so the admin's "added" message is not on the page read
    admin_client.force_login(admin)

    response = admin_client.post(
        reverse("admin:consultation_option_add"),
        {
            "consultation": consultation.pk,
            "kind": OptionKind.BARRIER,
            "label": "Nowhere to study quietly",
            "position": 99,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert "Nowhere to study quietly" in _page(client, consultation)


def test_ward_changes_show_at_once(client, consultation):
    assert "Homerton" in _page(client, consultation, "circumstances")

    services.ward_save(name="Homerton", ward=Ward.objects.get(name="Homerton"), is_active=False)
    services.ward_save(name="Hackney Marshes")

    html = _page(client, consultation, "circumstances")
    assert "Homerton" not in html
    assert "Hackney Marshes" in html


def test_each_consultation_keeps_its_own_lists(client, consultation):
    other = ConsultationFactory(title="Second round")
    services.option_save(consultation=other, kind=OptionKind.BARRIER, label="Only in round two")

    assert "Only in round two" not in _page(client, consultation)
    assert "Only in round two" in _page(client, other)


def test_a_resident_coming_back_sees_their_own_ticks(client, consultation):
    blank = _page(client, consultation)
    ticked = option_ids(consultation, OptionKind.BARRIER, 1, 3)
    sent = client.post(
        reverse("consultation:step", args=[consultation.slug, "barriers"]),
        {"barriers": ticked, "barriers_other": "No courses near me in the evening"},
    )
    assert sent.status_code == 302

    html = _page(client, consultation)

    assert "checked" not in blank
    assert html.count("checked") == 2
    for pk in ticked:
        assert f'value="{pk}"' in html
    assert "No courses near me in the evening" in html


def test_saving_a_copy_read_before_an_answer_change_does_not_bring_back_the_old_page(
    client, consultation
):
    read_before = Consultation.objects.get(pk=consultation.pk)
    _page(client, consultation)
    services.option_save(
        consultation=consultation, kind=OptionKind.BARRIER, label="No laptop at home"
    )

    services.consultation_update(consultation=read_before, title="Digital tech: tell us more")

    html = _page(client, consultation)
    assert "No laptop at home" in html
    assert "Digital tech: tell us more" in html


def test_ticked_answers_are_checked_against_one_read_of_the_list(
    consultation, django_assert_num_queries
):
    ticked = option_ids(consultation, OptionKind.BARRIER, 0, 1, 2, 3, 4, 5)
    form = BarriersForm(data={"barriers": ticked}, consultation=consultation)

    with django_assert_num_queries(1):
        assert form.is_valid()
    assert form.cleaned_data["barriers"] == ticked
