"""The job advert checker's report beyond gender-coded words: titles and names apart,
derived words, plain English, requirements, pay and ways of working, with the council's
own lists."""

import time

import pytest

from employers import adverts
from employers.adverts import offers, plain
from employers.adverts.text import Advert
from employers.models import AdvertTerm

pytestmark = pytest.mark.django_db

# The advert the issue was raised with: eight of its eighteen masculine hits were a job
# title, a team's name and words for the work itself.
DATA_ANALYST = """Senior Data Analyst

London Borough of Hackney, Data and Insight Team

About the role
As our Senior Data Analyst, you will join the Corporate Leadership Team's programme of
analytics work. Analyse data from housing, social care and waste services, and turn the
analysis into reports that residents and councillors can read. You will be an analytical
thinker who can lead small projects and make decisions with confidence.

You'll work with other analysts, team leaders and the Head of Digital Leadership.

Key responsibilities
- Lead the monthly performance report
- Support colleagues to use data well
"""


def report(text):
    return adverts.check(text)


def words(matches):
    return [m.word for m in matches]


def test_job_titles_team_and_organisation_names_are_reported_apart_and_not_counted():
    gender = report(DATA_ANALYST).gender
    assert words(gender.masculine) == [
        "analytical", "lead", "decisions", "confidence", "Lead",
    ]  # fmt: skip
    assert words(gender.feminine) == ["Support"]
    names = dict(gender.names())
    assert names["Senior Data Analyst"] == ["Analyst"]
    assert names["Corporate Leadership Team"] == ["Leadership"]
    assert names["Head of Digital Leadership"] == ["Leadership"]
    assert names["analysts"] == ["analysts"]
    assert names["team leaders"] == ["leaders"]
    assert names["Key responsibilities"] == ["responsibilities"]
    # No plainer words are offered for a job title.
    assert [word for word, _, _ in gender.alternatives()] == [
        "lead", "analytical", "confidence", "decisions",
    ]  # fmt: skip


def test_a_capital_at_the_start_of_a_sentence_is_not_a_name_unless_one_follows():
    gender = report("Lead Hackney's digital work. Leadership Team members meet monthly.").gender
    assert words(gender.matches) == ["Lead"]
    assert dict(gender.names()) == {"Leadership Team": ["Leadership"]}


def test_words_derived_from_a_listed_word_count_as_it_does():
    gender = report(
        "Decisive, decisively, decisiveness; kind and kindness; honest, honestly, honesty; "
        "objective, objectivity; gentle, gently; logical; opinionated; persistent; "
        "superiority; confidently."
    ).gender
    assert words(gender.masculine) == [
        "Decisive", "decisively", "decisiveness", "objective", "objectivity", "logical",
        "opinionated", "persistent", "superiority", "confidently",
    ]  # fmt: skip
    assert words(gender.feminine) == [
        "kind", "kindness", "honest", "honestly", "honesty", "gentle", "gently",
    ]  # fmt: skip


def test_derived_words_with_another_meaning_are_not_counted():
    gender = report(
        "Plan activities and objectives. Kindly send your CV, treated in confidence."
    ).gender
    assert gender.matches == []
    assert words(report("You will grow in confidence.").gender.matches) == ["confidence"]


def test_the_councils_role_titles_are_its_own_to_edit():
    advert = "You will train our support champions."
    assert words(report(advert).gender.feminine) == ["support"]
    AdvertTerm.objects.create(kind=AdvertTerm.Kind.ROLE_TITLE, term="Support Champion")
    gender = report(advert).gender
    assert gender.matches == []
    assert dict(gender.names()) == {"support champions": ["support"]}


# Plain English


def test_the_reading_age_is_flesch_kincaid_plus_five_and_harder_text_reads_older():
    easy = report("You will fix the bins. You will talk to people. " * 6).plain
    hard = report(
        "Accountability for the operationalisation of organisational transformation "
        "methodologies, incorporating multidisciplinary considerations. " * 4
    ).plain
    assert easy.reading_age < 9 < plain.READING_AGE_AIM < hard.reading_age
    assert "reading_age" not in [f.code for f in easy.findings]
    assert "reading_age" in [f.code for f in hard.findings]
    assert report("Too short to say.").plain.reading_age is None


def test_sentences_longer_than_25_words_are_listed():
    twenty_five = "Words " + " ".join(["word"] * 23) + " end."
    twenty_six = "Words " + " ".join(["word"] * 24) + " end."
    found = {f.code: f for f in report(f"{twenty_five} {twenty_six}").plain.findings}
    assert found["long_sentences"].quotes == [twenty_six]


def test_the_passive_voice_is_found_but_adjectives_are_not():
    found = {
        f.code: f
        for f in report(
            "Applications will be assessed by a panel. The role is based in Hackney. "
            "You were given a laptop."
        ).plain.findings
    }
    assert found["passive"].quotes == ["be assessed", "were given"]


def test_jargon_from_the_councils_list_with_plainer_words():
    found = [f for f in report("Leverage stakeholders to utilise data.").plain.findings]
    jargon = {f.title: (f.quotes, f.instead) for f in found if f.code == "jargon"}
    assert jargon["Jargon: “leverage”"] == (["Leverage"], "Try: use")
    assert jargon["Jargon: “stakeholders”"][0] == ["stakeholders"]
    AdvertTerm.objects.create(kind=AdvertTerm.Kind.JARGON, term="synergise", plain="work together")
    titles = [f.title for f in report("We synergise.").plain.findings]
    assert titles == ["Jargon: “synergise”"]


def test_acronyms_not_spelt_out_are_listed_with_what_they_stand_for():
    found = report(
        "Key skills\nYou will know GDPR and SQL. Experience of continuous integration (CI) "
        "helps; NHS experience too. APIs and KPIs."
    ).plain.findings
    acronyms = {f.quotes[0]: f.instead for f in found if f.code == "acronym"}
    assert set(acronyms) == {"GDPR", "SQL", "API", "KPI"}
    assert acronyms["GDPR"] == (
        "Write it in full the first time: General Data Protection Regulation (GDPR)."
    )


# Requirements


def codes(findings):
    return {f.code: f.quotes for f in findings}


def test_a_degree_is_found_but_a_degree_of_accuracy_is_not():
    found = codes(
        report("You will need a degree in maths, and a high degree of accuracy.").requirements
    )
    assert found == {"degree": ["a degree"]}
    assert codes(report("Educated to degree level, or BSc.").requirements)["degree"] == [
        "Educated to degree level", "BSc",
    ]  # fmt: skip


def test_years_of_experience_are_found_but_a_fixed_term_is_not():
    found = codes(
        report(
            "At least 5 years' experience of Python. 3+ years of relevant experience. "
            "A 2 year fixed-term contract."
        ).requirements
    )
    assert found == {"years": ["At least 5 years' experience", "3+ years of relevant experience"]}


def test_more_than_six_essential_criteria_is_a_long_list():
    def advert(n):
        items = "\n".join(f"- Criterion {i}" for i in range(n))
        return f"Essential criteria\n{items}\n\nDesirable criteria\n- Nice to have\n- Another"

    assert "long_essential" not in codes(report(advert(6)).requirements)
    found = codes(report(advert(7)).requirements)["long_essential"]
    assert found == [f"- Criterion {i}" for i in range(7)]


def test_native_speaker_and_phrases_about_age_are_found():
    found = codes(
        report(
            "Native English speaker wanted; English as a first language; join our young team "
            "of digital natives."
        ).requirements
    )
    assert found["exclusionary"] == [
        "Native English speaker", "English as a first language", "young team",
        "digital natives",
    ]  # fmt: skip


def test_physical_requirements_are_found():
    found = codes(
        report("You must lift up to 25kg, hold a full UK driving licence and own car.").requirements
    )
    assert found["physical"] == ["lift up to 25kg", "full UK driving licence", "own car"]


# Pay and ways of working


def offered(text):
    return {f.code: (f.found, f.quotes) for f in report(text).offers}


def test_a_salary_range_a_single_figure_and_none():
    assert offers.salary(Advert("£38,000 to £44,000 a year"))[0] == "range"
    assert offers.salary(Advert("Salary: £45k–£52k"))[0] == "range"
    assert offers.salary(Advert("£38,000 a year"))[0] == "single"
    assert offers.salary(Advert("£15.50 per hour"))[0] == "single"
    assert offers.salary(Advert("A £500 learning budget and a competitive salary"))[0] == "none"
    found = {f.code: f for f in report("A competitive salary.").offers}
    assert found["salary"].title == "No salary is given"
    assert not found["salary"].found


def test_offers_found_and_missing():
    found = offered(
        "We offer hybrid working and will consider job share. We make reasonable adjustments "
        "and are a Disability Confident employer. Apprentices welcome. For an informal chat, "
        "contact Priya Shah at priya.shah@example.gov.uk."
    )
    assert found == {
        "salary": (False, []),
        "flexible": (True, ["hybrid"]),
        "part_time": (True, ["job share"]),
        "adjustments": (True, ["reasonable adjustments"]),
        "disability_confident": (True, ["Disability Confident"]),
        "apprenticeship": (True, ["Apprentices"]),
        "contact": (True, ["Priya Shah"]),
    }


def test_an_offer_taken_back_is_not_an_offer():
    found = offered("This role is not suitable for part-time working or a job share.")
    assert found["part_time"] == (False, [])


def test_an_address_without_a_name_is_not_a_named_contact():
    assert offered("Email recruitment@hackney.gov.uk with questions.")["contact"] == (False, [])
    assert offered("Questions to Hackney Council on 020 8356 3000.")["contact"] == (False, [])


def test_the_report_as_json_has_a_result_per_area():
    data = report(DATA_ANALYST).as_dict()
    assert set(data) == {"gender", "plain_english", "requirements", "offers"}
    assert data["gender"]["verdict"] == "strongly_masculine"
    assert {"name": "Corporate Leadership Team", "words": ["Leadership"]} in data["gender"][
        "in_titles_or_names"
    ]
    assert [o["code"] for o in data["offers"]] == [
        "salary", "flexible", "part_time", "adjustments", "disability_confident",
        "apprenticeship", "contact",
    ]  # fmt: skip
    assert all(o["source"]["title"] for o in data["offers"])


def test_every_finding_has_why_what_instead_and_a_source():
    text = (
        "Essential criteria\n" + "\n".join(f"- Thing {i}" for i in range(8)) + "\n\n"
        "A degree, 5 years' experience, native speaker, lift 20kg. Leverage GDPR. "
        + "Applications will be assessed. "
        + " ".join(["word"] * 30)
        + "."
    )
    data = report(text)
    every = data.requirements + data.plain.findings + data.offers
    assert {f.code for f in data.requirements} == {
        "degree", "years", "long_essential", "exclusionary", "physical",
    }  # fmt: skip
    assert all(f.why and f.instead and f.source.title for f in every)


# Found in review: hostile input, and realistic adverts read wrongly.


def test_hostile_input_is_checked_in_bounded_time():
    # Each of these took from seconds to days before whitespace and names were bounded. A
    # guard against runaway matching, not a speed target (that is `make bench`).
    started = time.perf_counter()
    for text in (
        "Jane Smith" + " " * 19_000 + "x",
        "1" + " " * 19_000 + "x",
        "Lead " * 4000,
        "contact " + "Ab " * 6000,
    ):
        report(text)
    assert time.perf_counter() - started < 10


def test_a_letter_that_folds_to_a_listed_word_is_not_a_server_error():
    assert report("You will work with ſtakeholders.").plain.words == 5


def test_list_items_without_full_stops_are_sentences_to_the_reading_age():
    items = "\n".join(f"- Manage the {thing} budget with the team" for thing in "abcdefghijkl")
    with_stops = "\n".join(
        f"- Manage the {thing} budget with the team." for thing in "abcdefghijkl"
    )
    assert report(items).plain.reading_age == report(with_stops).plain.reading_age < 14


def test_a_negation_takes_back_only_its_own_clause():
    found = offered("We cannot offer remote working, but flexible hours are available.")
    assert found["flexible"] == (True, ["flexible hours"])
    assert offered("You don't need a degree: we offer an apprenticeship.")["apprenticeship"][0]
    assert offered("Hybrid working is not available.")["flexible"] == (False, [])
    assert offered("You will run our hybrid cloud and remote support.")["flexible"][0] is False


def test_small_sums_are_not_a_salary_range():
    assert offers.salary(Advert("£38,000 a year, and £500 to £1,000 towards relocation")) == (
        "single",
        ["£38,000 a year"],
    )
    assert offers.salary(Advert("£17.50/hour"))[0] == "single"


def test_a_council_is_not_a_named_contact_but_a_capitalised_contact_is():
    assert offered("Contact Tower Hamlets Council for details.")["contact"] == (False, [])
    assert offered("Contact Amara Okafor, Finance Manager, for a chat.")["contact"] == (
        True,
        ["Amara Okafor"],
    )


def test_what_the_employer_says_of_itself_is_not_a_requirement():
    found = codes(
        report(
            "We have over 25 years' experience of supporting families. A degree of flexibility."
        ).requirements
    )
    assert found == {}


def test_a_heading_straight_under_another_is_still_a_heading():
    items = "\n".join(f"- Criterion {i}" for i in range(8))
    advert = f"Person specification\nEssential criteria\n{items}"
    assert len(codes(report(advert).requirements)["long_essential"]) == 8


def test_a_tagline_and_a_title_case_list_item_are_counted():
    gender = report(
        "\nJoin our ambitious, fast-growing team\n\n- Strong Leadership Skills\n"
    ).gender
    assert words(gender.matches) == ["ambitious", "Leadership"]


def test_only_product_names_with_a_coded_word_are_listed_as_not_counted():
    gender = report("JavaScript, GitHub and LeadDev; JavaScript again.").gender
    assert gender.ignored == ["LeadDev"]


def test_a_product_name_before_an_address_is_not_a_person():
    found = offered("- The latest MacBook Pro\n\nApply to jobs@example.com")
    assert found["contact"] == (False, [])
