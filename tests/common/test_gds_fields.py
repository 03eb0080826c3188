"""Forms render as GOV.UK Design System components: optional questions marked one way,
labels escaped, no "---------" radio, and the error summary linking to inputs that exist."""

import datetime
import re

import pytest
from django import forms
from django.template import Context, Template

from common.forms import DateInputField

FORM_PAGE = Template(
    '{% load crispy_forms_tags %}{% include "includes/error_summary.html" %}{{ form|crispy }}'
)


class Questions(forms.Form):
    name = forms.CharField(label="Your name")
    nickname = forms.CharField(label="Nickname", required=False)
    phone = forms.CharField(label="Phone (optional)", required=False)
    barriers = forms.MultipleChoiceField(
        label="Barriers",
        choices=[("cost", "Cost"), ("time", "Time")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    level = forms.ChoiceField(
        label="Level <b>bold</b>",
        choices=[("", "---------"), ("junior", "Junior"), ("senior", "Senior")],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(label="Keep me posted", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["barriers"].answer_expected = True


def _render(form) -> str:
    return FORM_PAGE.render(Context({"form": form}))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_only_optional_questions_are_marked_and_only_once():
    text = _text(_render(Questions()))

    assert "Your name (optional)" not in text
    assert "Nickname (optional)" in text
    assert "Phone (optional) (optional)" not in text
    assert "Phone (optional)" in text
    assert "Barriers (optional)" not in text  # the form asks for one in its own way
    assert "Keep me posted (optional)" not in text
    assert "*" not in text


def test_labels_are_escaped_and_radios_offer_no_empty_choice():
    html = _render(Questions())

    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "---------" not in html
    assert re.findall(r'type="radio" name="level" id="([^"]+)" value="(\w+)"', html) == [
        ("id_level_1", "junior"),
        ("id_level_2", "senior"),
    ]


def test_the_error_summary_names_each_field_once_and_links_to_its_first_input():
    html = _render(Questions(data={"nickname": "x" * 3}))

    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _message in links] == ["id_name", "id_level_1"]
    for target, _message in links:
        assert f'id="{target}"' in html
    # Each message also sits beside its field, after the hint and before the inputs.
    assert html.count("This field is required.") == 4


class Dated(forms.Form):
    given_on = DateInputField(label="Date the response was given")


def test_a_date_is_asked_for_as_gov_uk_does_in_three_labelled_boxes():
    html = _render(Dated(initial={"given_on": datetime.date(2027, 3, 9)}))

    legend = re.search(r"<legend[^>]*>(.*?)</legend>", html, re.S).group(1)
    assert "Date the response was given" in legend
    boxes = re.findall(r'<input type="text" name="given_on_(\w+)"([^>]*)>', html)
    assert [name for name, _attrs in boxes] == ["day", "month", "year"]
    for index, (name, attrs) in enumerate(boxes):
        assert 'inputmode="numeric"' in attrs
        assert "govuk-date-input__input" in attrs
        label = re.search(rf'<label[^>]*for="id_given_on_{index}">([^<]+)</label>', html)
        assert label.group(1).strip() == name.capitalize()
    assert [re.search(r'value="(\d+)"', attrs).group(1) for _n, attrs in boxes] == [
        "9",
        "3",
        "2027",
    ]
    assert 'type="date"' not in html


@pytest.mark.parametrize(
    ("typed", "cleaned", "error"),
    [
        (("9", "3", "2027"), datetime.date(2027, 3, 9), None),
        (("", "3", "2027"), None, "Enter a day, a month and a year"),
        (("31", "2", "2027"), None, "Enter a real date, like 27 3 2027"),
        (("x", "3", "2027"), None, "Enter a real date, like 27 3 2027"),
        (("1", "1", "1999"), None, "Enter a date between 2000 and 2100"),
        (("", "", ""), None, "This field is required."),
    ],
)
def test_a_date_typed_in_three_boxes_is_read_or_explained(typed, cleaned, error):
    form = Dated(dict(zip(("given_on_day", "given_on_month", "given_on_year"), typed, strict=True)))

    if error is None:
        assert form.is_valid()
        assert form.cleaned_data["given_on"] == cleaned
    else:
        assert form.errors["given_on"] == [error]
        # Once in the error summary, once beside the boxes, which keep what was typed.
        html = _render(form)
        assert html.count(error) == 2
        for value in filter(None, typed):
            assert f'value="{value}"' in html
