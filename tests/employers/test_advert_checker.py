"""The job advert checker on adverts worked out by hand."""

import logging
import re

import pytest
from django.urls import reverse

from employers.adverts import MAX_LENGTH
from employers.adverts.gender import FEMININE, MASCULINE, check, verdict_for


def coded(text):
    result = check(text)
    return [m.word for m in result.masculine], [m.word for m in result.feminine]


def test_a_masculine_advert():
    text = (
        "We are a competitive, ambitious team looking for a decisive leader with strong "
        "analytical skills who thrives on challenges."
    )
    masculine, feminine = coded(text)
    assert masculine == [
        "competitive",
        "ambitious",
        "decisive",
        "leader",
        "analytical",
        "challenges",
    ]
    assert feminine == []
    assert check(text).verdict == "strongly_masculine"


def test_a_feminine_advert():
    text = (
        "Join a supportive, warm team that values honest, considerate and understanding colleagues."
    )
    masculine, feminine = coded(text)
    assert masculine == []
    assert feminine == ["supportive", "warm", "honest", "considerate", "understanding"]
    assert check(text).verdict == "strongly_feminine"


def test_a_neutral_advert_has_no_coded_words():
    result = check("You will maintain the council's website and answer residents' questions.")
    assert result.matches == []
    assert result.verdict == "neutral"


def test_a_mixed_advert():
    masculine, feminine = coded("A confident communicator who is supportive and leads change.")
    assert masculine == ["confident", "leads"]
    assert feminine == ["supportive"]
    assert check("A confident communicator who is supportive and leads change.").verdict == (
        "slightly_masculine"
    )


@pytest.mark.parametrize(
    ("masculine", "feminine", "verdict"),
    [
        (0, 0, "neutral"),
        (2, 2, "neutral"),
        (1, 0, "slightly_masculine"),
        (2, 0, "slightly_masculine"),
        (3, 0, "strongly_masculine"),
        (6, 3, "strongly_masculine"),
        (5, 3, "slightly_masculine"),
        (1, 4, "strongly_feminine"),
        (3, 5, "slightly_feminine"),
    ],
)
def test_the_verdict_rule(masculine, feminine, verdict):
    assert verdict_for(masculine, feminine) == verdict


def test_a_stem_finds_its_inflections():
    masculine, _ = coded("Compete, competitive, competition, competing.")
    assert masculine == ["Compete", "competitive", "competition", "competing"]


def test_a_whole_word_finds_its_endings_but_not_other_words():
    masculine, _ = coded("You decide, decides, decided, deciding; a decider is not counted.")
    assert masculine == ["decide", "decides", "decided", "deciding"]


def test_a_stem_inside_another_word_is_not_counted():
    masculine, feminine = coded(
        "The manager supports our workforce. Misleading claims and a swarm of emails."
    )
    assert masculine == []  # not "force" in workforce, nor "lead" in misleading
    assert feminine == ["supports"]  # not "nag" in manager, nor "warm" in swarm


def test_words_that_only_start_like_a_stem_are_not_counted():
    masculine, feminine = coded(
        "Report to the committee, manage tenders, and meet the competency framework; "
        "you will be competent with software dependencies and all kinds of trustees."
    )
    assert masculine == []
    assert feminine == []


def test_product_names_are_not_counted():
    result = check(
        "Experience of SharePoint, Azure Active Directory and Salesforce, "
        "and of LeadDev talks. Be active in the team."
    )
    assert [m.word for m in result.matches] == ["active"]
    assert {"SharePoint", "Azure Active Directory", "Salesforce", "LeadDev"} <= set(result.ignored)


def test_hyphenated_words():
    masculine, _ = coded("Self-confident and team-leading.")
    assert masculine == ["Self-confident", "leading"]


def test_matches_are_highlighted_where_they_stand():
    html = str(check("Be competitive\nand kind.").highlighted())
    assert html.startswith(
        'Be <mark class="coded coded-masculine">competitive<span class="coded-tag">M</span>'
    )
    assert '\nand <mark class="coded coded-feminine">kind' in html


def test_pasted_markup_is_shown_as_text():
    html = str(check('<script>alert("x")</script> a <b>competitive</b> role').highlighted())
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark" in html


def test_plainer_words_are_offered_word_by_word_whatever_its_capitals():
    result = check("Lead the team, lead projects, be a leader; competitive salary.")
    entries = [(word, count) for word, count, _ in result.alternatives()]
    assert entries == [("lead", 2), ("competitive", 1), ("leader", 1)]


@pytest.mark.django_db
def test_the_page_checks_an_advert_and_stores_nothing(client, django_assert_num_queries):
    # One query: the council's lists of role titles, jargon and acronyms. Nothing written.
    with django_assert_num_queries(1):
        response = client.post(
            reverse("employers:advert_checker"),
            {"advert": "A competitive <i>role</i> for an ambitious, analytical leader."},
        )
    html = response.content.decode()
    assert "This advert is strongly masculine-coded" in html
    assert "&lt;i&gt;role&lt;/i&gt;" in html
    assert "no-store" in response["Cache-Control"]


def _heading_levels(html):
    """The levels of the page's headings in its main content, in order (the layout's own
    headings, in the header and footer, are outside it)."""
    main = html[html.index("<main") : html.index("</main>")]
    return [int(level) for level in re.findall(r"<h([1-6])[ >]", main)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "advert",
    [
        None,  # the page as first opened
        "",  # nothing pasted: the error summary
        "A competitive role for an ambitious, analytical, dominant leader.",  # plainer words
        "A kind, supportive and caring team.",
    ],
)
def test_the_page_has_one_h1_and_skips_no_heading_level(client, advert):
    url = reverse("employers:advert_checker")
    response = client.get(url) if advert is None else client.post(url, {"advert": advert})
    levels = _heading_levels(response.content.decode())
    assert levels.count(1) == 1, levels
    # (The error summary's h2 comes before the h1, as GOV.UK places it: going down a
    # level is never a skip.)
    steps = zip([1, *levels], levels, strict=False)
    assert [(a, b) for a, b in steps if b > a + 1] == [], levels


@pytest.mark.django_db
def test_the_page_explains_an_empty_or_too_long_advert(client):
    empty = client.post(reverse("employers:advert_checker"), {"advert": ""})
    assert "Paste the text of a job advert to check, or upload it" in empty.content.decode()
    long = client.post(reverse("employers:advert_checker"), {"advert": "x" * 20001})
    assert "The advert can be at most 20,000 characters (it has 20001)" in long.content.decode()


def test_a_long_advert_is_checked_in_full():
    text = "We value a supportive and competitive culture. " * 420  # about 20,000 characters
    result = check(text[:20000])
    assert len(result.masculine) == len(result.feminine) == 420


def test_the_word_lists_are_those_of_gaucher_friesen_and_kay_appendix_a():
    # Gaucher, Friesen & Kay (2011), Appendix A, in the paper's order; "*" marks a stem.
    assert MASCULINE == [
        "active", "adventurous", "aggress*", "ambitio*", "analy*", "assert*", "athlet*",
        "autonom*", "boast*", "challeng*", "compet*", "confident", "courag*", "decide",
        "decisive", "decision*", "determin*", "dominant", "domina*", "force*", "greedy",
        "headstrong", "hierarch*", "hostil*", "impulsive", "independen*", "individual*",
        "intellect*", "lead*", "logic", "masculine", "objective", "opinion", "outspoken",
        "persist", "principle*", "reckless", "stubborn", "superior", "self-confiden*",
        "self-relian*", "self-sufficien*",
    ]  # fmt: skip
    assert FEMININE == [
        "affectionate", "child*", "cheer*", "commit*", "communal", "compassion*", "connect*",
        "considerate", "cooperat*", "depend*", "emotiona*", "empath*", "feminine",
        "flatterable", "gentle", "honest", "interpersonal", "interdependen*", "interpersona*",
        "kind", "kinship", "loyal*", "modesty", "nag", "nurtur*", "pleasant*", "polite",
        "quiet*", "respon*", "sensitiv*", "submissive", "support*", "sympath*", "tender*",
        "together*", "trust*", "understand*", "warm*", "whin*", "yield*",
    ]  # fmt: skip


def test_hyphenated_spellings_match_as_the_unhyphenated_word():
    _, feminine = coded("A co-operative team: co-operate, with inter-personal skills.")
    assert feminine == ["co-operative", "co-operate", "inter-personal"]


def test_uk_names_set_phrases_and_products_are_not_counted():
    result = check(
        "Barts Health NHS Trust, a Foundation Trust, and the Trust's values. "
        "Kindly apply by Friday; salary depending on experience. See us on Trustpilot; "
        "we use Forcepoint. Kind regards, HR"
    )
    assert result.matches == []
    assert {"NHS Trust", "Foundation Trust", "Trust's", "Trustpilot", "Forcepoint"} <= set(
        result.ignored
    )
    # The same words as qualities still count.
    assert coded("We trust you to be kind.") == ([], ["trust", "kind"])


@pytest.mark.django_db
def test_the_page_checks_20000_characters_in_full(client):
    # How fast: `make bench` ("advert check, 2,000 words").
    sentence = "We value a supportive and competitive culture. "
    advert = sentence * 425
    advert += "x" * (MAX_LENGTH - len(advert))  # up to the limit exactly
    assert len(advert) == MAX_LENGTH
    response = client.post(reverse("employers:advert_checker"), {"advert": advert})
    assert response.status_code == 200
    result = response.context["report"].gender
    assert len(result.masculine) == len(result.feminine) == 425


@pytest.mark.django_db
def test_pasted_text_appears_in_no_log(client, caplog):
    caplog.set_level(logging.DEBUG)
    marker = "Zanzibarqux competitive"
    url = reverse("employers:advert_checker")
    assert client.post(url, {"advert": marker}).status_code == 200
    assert client.post(url, {"advert": marker + "x" * MAX_LENGTH}).status_code == 200
    assert client.post(url, {"advert": marker, "unexpected": marker}).status_code == 200
    logged = caplog.text + "".join(f"{r.args}{r.__dict__}" for r in caplog.records)
    assert "Zanzibarqux" not in logged
