"""A questionnaire's address never lands on another page's: a consultation called
"Wards" would otherwise be /staff/consultation/wards/, the ward list, and never reached."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.consultation.factories import ConsultationFactory
from tests.employers.factories import SurveyFactory

pytestmark = pytest.mark.django_db

QUESTIONNAIRES = [
    (ConsultationFactory, "Wards", "consultation_staff:detail"),
    (ConsultationFactory, "New", "consultation_staff:detail"),
    (SurveyFactory, "New", "employers:staff_survey"),
]


@pytest.mark.parametrize(("factory", "title", "page"), QUESTIONNAIRES)
def test_a_title_that_is_another_pages_address_gets_a_suffix(
    factory, title, page, client_for, commission_staff
):
    questionnaire = factory(title=title)
    assert questionnaire.slug == f"{title.lower()}-2"
    staff_page = client_for(commission_staff).get(reverse(page, args=[questionnaire.slug]))
    assert staff_page.status_code == 200
    assert staff_page.context[questionnaire._meta.model_name] == questionnaire


@pytest.mark.parametrize(("factory", "title", "page"), QUESTIONNAIRES)
def test_another_pages_address_given_as_the_slug_is_refused(factory, title, page):
    questionnaire = factory(title="Anything")
    questionnaire.slug = title.lower()
    with pytest.raises(ValidationError) as refused:
        questionnaire.full_clean()
    assert refused.value.message_dict["slug"] == [
        f"“{title.lower()}” is the address of another page; choose another."
    ]


def test_a_title_with_nothing_to_make_an_address_of_still_gets_one():
    assert ConsultationFactory(title="🎉🎉").slug == "consultation"
