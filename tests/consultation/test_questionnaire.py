"""The resident's journey through the questionnaire, as a browser without JavaScript
would make it: plain GETs and POSTs."""

import datetime
import itertools
import re
import uuid

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation import services
from consultation.forms import STEPS
from consultation.models import Contact, EthnicHeading, OptionKind, Response, Ward
from tests.conftest import PASSWORD
from tests.consultation.factories import ConsultationFactory, option_ids, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory(title="Digital tech: have your say")


def url(consultation, step):
    return reverse("consultation:step", args=[consultation.slug, step])


def page_answers(consultation):
    """Valid answers for each page, keyed by the page's slug."""
    return {
        "barriers": {
            "barriers": option_ids(consultation, OptionKind.BARRIER, 1, 3),
            "barriers_other": "No courses near me in the evening",
        },
        "changes": {"changes": option_ids(consultation, OptionKind.CHANGE, 0)},
        "support": {
            "support": option_ids(consultation, OptionKind.SUPPORT, 2),
            "interest": "quite",
        },
        "comments": {"comments": "More courses at weekends, please."},
        "about-you": {"age_band": "16_24", "sex": "female", "ethnic_group": "asian_bangladeshi"},
        "circumstances": {
            "disability": "prefer_not",
            "area": f"ward:{Ward.objects.get(name='Homerton').pk}",
        },
        "contact": {"email": "", "consent": ""},
    }


SUBMISSION_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def key_on(check_page) -> str:
    """The submission key the check page's form sends, as a browser reads it."""
    return SUBMISSION_KEY.search(check_page.content.decode())[1]


def answer_every_page(client, consultation, **changes):
    pages = page_answers(consultation)
    pages.update(changes)
    for step in STEPS:
        response = client.post(url(consultation, step.slug), pages[step.slug])
        assert response.status_code == 302, (step.slug, response.content.decode()[:2000])
    return response


def test_a_resident_answers_checks_and_gets_a_reference(client, consultation):
    start = client.get(consultation.get_absolute_url())
    assert "Start now" in start.content.decode()

    last = answer_every_page(client, consultation)
    assert last["Location"] == reverse("consultation:check", args=[consultation.slug])

    check = client.get(last["Location"])
    html = check.content.decode()
    assert "Check your answers before sending them" in html
    assert "No courses near me in the evening" in html
    assert "Bangladeshi" in html
    assert "Homerton" in html
    assert Response.objects.count() == 0  # nothing is saved before the resident sends it

    sent = client.post(last["Location"], {"submission_key": key_on(check)})
    done = client.get(sent["Location"])

    response = Response.objects.get()
    assert response.reference in done.content.decode()
    assert "Your answers have been sent" in done.content.decode()
    assert response.barriers_other == "No courses near me in the evening"
    assert response.ethnic_group == "asian_bangladeshi"
    assert response.ward.name == "Homerton"
    assert response.options.count() == 4


def test_each_page_shows_its_position_and_the_privacy_notice(client, consultation):
    for number, step in enumerate(STEPS, start=1):
        html = client.get(url(consultation, step.slug)).content.decode()
        # The GOV.UK way: a caption above the question's heading, not a line of grey text.
        caption = f"{consultation.title} – page {number} of {len(STEPS)}"
        assert re.search(
            rf'<span class="govuk-caption-l">{re.escape(caption)}</span>\s*'
            rf'<h1 class="govuk-heading-l">{re.escape(str(step.title))}</h1>',
            html,
        ), step.slug
        assert reverse("consultation:privacy", args=[consultation.slug]) in html


def _back_link(html):
    """The page's Back link, which sits above <main> (in the breadcrumbs block)."""
    before_main = html[: html.index("<main")]
    links = re.findall(r'<a href="([^"]+)" class="govuk-back-link">([^<]+)</a>', before_main)
    assert len(links) == 1, links
    return links[0]


def test_every_question_page_has_a_back_link_page_one_to_the_start_page(client, consultation):
    start = consultation.get_absolute_url()
    assert _back_link(client.get(url(consultation, "barriers")).content.decode()) == (
        start,
        "Back",
    )
    for previous, step in itertools.pairwise(STEPS):
        html = client.get(url(consultation, step.slug)).content.decode()
        assert _back_link(html) == (url(consultation, previous.slug), "Back"), step.slug
    # Changing an answer from "check your answers" goes back there.
    changing = client.get(url(consultation, "barriers") + "?change=1").content.decode()
    assert _back_link(changing) == (
        reverse("consultation:check", args=[consultation.slug]),
        "Back to check your answers",
    )


def _error_summary_links(html):
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary)


def test_the_error_summary_names_each_question_once_and_links_to_its_input(client, consultation):
    response = client.post(
        url(consultation, "support"), {"support_other": "x" * 2001, "interest": ""}
    )
    html = response.content.decode()

    links = _error_summary_links(html)
    assert [message for _target, message in links] == [
        "Ensure this value has at most 2000 characters (it has 2001).",
        "Select how interested you are in a digital tech job",
    ]
    for target, message in links:
        assert html.count(f'id="{target}"') == 1, target  # the link leads to an input
        # Once in the summary, once by its question: after the hint, before the inputs.
        assert html.count(message) == 2, message
    interest = html[html.index('id="div_id_interest"') :]
    assert interest.index("govuk-error-message") < interest.index('type="radio"')
    assert 'class="govuk-label govuk-label--error"' not in html  # no red labels


def test_free_text_boxes_count_their_characters_as_gov_uk_does(client, consultation):
    html = client.get(url(consultation, "comments")).content.decode()

    count = re.search(
        r'<div class="govuk-character-count" data-module="govuk-character-count" '
        r'data-maxlength="(\d+)">(.*?)</textarea>(.*?)</div>',
        html,
        re.S,
    )
    assert count, "no character count around the comments box"
    assert count.group(1) == "5000"
    textarea = re.search(r"<textarea[^>]*>", count.group(2)).group(0)
    assert "govuk-js-character-count" in textarea
    # Without JavaScript the limit is read out with the box, and the script updates it.
    assert 'aria-describedby="id_comments_hint id_comments-info"' in textarea
    assert re.search(
        r'id="id_comments-info"[^>]*>\s*You can enter up to 5000 characters', count.group(3)
    )


def test_a_question_answered_wrongly_two_ways_gets_one_message(client, consultation):
    # An answer that is not on the list, and nothing else: the form has two things to say
    # about the same question, and says one.
    response = client.post(url(consultation, "barriers"), {"barriers": ["999999"]})
    html = response.content.decode()
    barriers = html[html.index('id="div_id_barriers"') : html.index('id="div_id_barriers_other"')]
    assert barriers.count('class="govuk-error-message"') == 1
    assert [target for target, _message in _error_summary_links(html)] == ["id_barriers_0"]


def _legend_or_label(html, field):
    group = html[html.index(f'id="div_id_{field}"') :]
    found = re.search(r"<(?:legend|label)[^>]*>\s*(.*?)\s*</(?:legend|label)>", group, re.S)
    return found.group(1)


def test_optional_questions_say_so_once_and_the_others_never(client, consultation):
    barriers = client.get(url(consultation, "barriers")).content.decode()
    # A tick or words in the box is needed: the question is not optional, the box is.
    assert "(optional)" not in _legend_or_label(barriers, "barriers")
    assert _legend_or_label(barriers, "barriers_other").endswith("hard (optional)")
    for step in STEPS:
        html = client.get(url(consultation, step.slug)).content.decode()
        assert "(optional) (optional)" not in html, step.slug
        assert "*" not in re.sub(r"<[^>]+>", "", html[html.index("<main") :]), step.slug
    support = client.get(url(consultation, "support")).content.decode()
    assert _legend_or_label(support, "support").endswith("help you? (optional)")
    assert "(optional)" not in _legend_or_label(support, "interest")
    # Checkboxes at their normal size, as GOV.UK asks of a question page.
    assert "govuk-checkboxes--small" not in barriers


def _check_sections(html):
    """The check answers page as (heading, [(question, answer, change link)]) per page."""
    main = html[html.index("<h1") : html.index("Now send your answers")]
    sections = re.findall(
        r'<h2 class="govuk-heading-m">([^<]+)</h2>\s*'
        r'<dl class="govuk-summary-list[^"]*">(.*?)</dl>',
        main,
        re.S,
    )
    text = lambda fragment: " ".join(re.sub(r"<[^>]+>", " ", fragment).split())  # noqa: E731
    return [
        (
            heading,
            [
                (text(key), text(value), href)
                for key, value, href in re.findall(
                    r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
                    r'<dd class="govuk-summary-list__value">(.*?)</dd>\s*'
                    r'<dd class="govuk-summary-list__actions"><a class="govuk-link" href="([^"]+)"',
                    rows,
                    re.S,
                )
            ],
        )
        for heading, rows in sections
    ]


def test_check_your_answers_is_grouped_by_page_with_email_and_consent_once(client, consultation):
    answer_every_page(client, consultation, contact={"email": "ama@example.org", "consent": "on"})
    html = client.get(reverse("consultation:check", args=[consultation.slug])).content.decode()

    sections = _check_sections(html)
    assert [heading for heading, _rows in sections] == [str(step.title) for step in STEPS]
    for step, (_heading, rows) in zip(STEPS, sections, strict=True):
        assert rows, step.slug
        # Every answer on the page it was asked on, changed there.
        assert {href for _q, _a, href in rows} == {f"{url(consultation, step.slug)}?change=1"}
    barriers = dict((q, a) for q, a, _href in sections[0][1])
    assert barriers["Anything else that makes it hard"] == "No courses near me in the evening"
    contact = [(q, a) for q, a, _href in sections[-1][1]]
    assert contact == [
        ("Email address", "ama@example.org"),
        (
            "Emails about opportunities",
            "I agree to the Diversity in Tech commission emailing me about digital tech "
            "opportunities (training, jobs, apprenticeships and events), and about what it did "
            "with what residents said if I choose that, until I withdraw.",
        ),
        ("What would you like to hear about?", "Everything"),
    ]
    assert html.count("ama@example.org") == 1
    assert html.count("I agree to the Diversity in Tech commission emailing me") == 1


def test_check_your_answers_says_when_no_emails_were_asked_for(client, consultation):
    answer_every_page(client, consultation)
    html = client.get(reverse("consultation:check", args=[consultation.slug])).content.decode()
    contact = [(q, a) for q, a, _href in _check_sections(html)[-1][1]]
    assert contact == [("Email address", "Not answered"), ("Emails about opportunities", "No")]


def test_check_your_answers_reads_an_answer_retired_meanwhile_as_words(client, consultation):
    answer_every_page(client, consultation)
    ticked = consultation.options.get(pk=page_answers(consultation)["barriers"]["barriers"][0])
    services.option_save(
        consultation=consultation,
        option=ticked,
        kind=ticked.kind,
        label=ticked.label,
        is_active=False,
    )
    html = client.get(reverse("consultation:check", args=[consultation.slug])).content.decode()
    (_question, answer, _href) = _check_sections(html)[0][1][0]
    assert ticked.label in answer
    assert f"{ticked.pk} " not in f"{answer} "  # never its number


def test_check_your_answers_queries_do_not_grow_with_the_answers(
    client, consultation, django_assert_num_queries
):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    caches["pages"].clear()  # the page made afresh, as after the questions change
    with CaptureQueriesContext(connection) as few:
        client.get(check_url)
    # Counted now: the next request empties the connection's log of queries.
    expected = len(few.captured_queries)
    for step, kind in (("barriers", OptionKind.BARRIER), ("changes", OptionKind.CHANGE)):
        every = consultation.options.filter(kind=kind).values_list("pk", flat=True)
        client.post(url(consultation, step), {step: [str(pk) for pk in every]})

    # The consultation, its questions and their answers' words kept: the session alone.
    with django_assert_num_queries(1):
        html = client.get(check_url).content.decode()
    assert html.count("<li>") >= consultation.options.filter(kind=OptionKind.CHANGE).count()
    caches["pages"].clear()
    with django_assert_num_queries(expected):
        assert client.get(check_url).status_code == 200


def test_check_your_answers_shows_answers_renamed_or_retired_since_they_were_ticked(
    client, consultation
):
    """The questions' words are kept ready, and a change to the answer lists, whoever
    makes it, shows on the very next visit."""
    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    ticked = consultation.options.get(pk=option_ids(consultation, OptionKind.BARRIER, 1)[0])
    assert ticked.label in client.get(check_url).content.decode()
    ticked.label = "Courses are only in the daytime"
    ticked.save()
    assert "Courses are only in the daytime" in client.get(check_url).content.decode()
    ticked.is_active = False
    ticked.save()
    # Retired since it was ticked: still in words.
    assert "Courses are only in the daytime" in client.get(check_url).content.decode()


def test_a_missing_answer_is_explained_and_linked(client, consultation):
    response = client.post(url(consultation, "barriers"), {"barriers_other": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select at least one barrier, or describe it in your own words" in html
    assert '<a href="#id_barriers_0">' in html
    assert "<title>Error:" in html


def test_typed_answers_survive_an_error_elsewhere_on_the_page(client, consultation):
    response = client.post(
        url(consultation, "support"),
        {
            "support": option_ids(consultation, OptionKind.SUPPORT, 1),
            "support_other": "A laptop loan",
        },
    )
    html = response.content.decode()
    assert "Select how interested you are in a digital tech job" in html
    assert "A laptop loan</textarea>" in html
    assert f'value="{option_ids(consultation, OptionKind.SUPPORT, 1)[0]}" ' in html
    assert "checked" in html


def test_going_back_shows_what_was_typed(client, consultation):
    answer_every_page(client, consultation)
    back = client.get(url(consultation, "barriers"))
    assert "No courses near me in the evening</textarea>" in back.content.decode()


def test_typing_survives_an_error_then_leaving_by_the_back_link(client, consultation):
    answer_every_page(client, consultation)
    support = option_ids(consultation, OptionKind.SUPPORT, 1)
    invalid = client.post(
        url(consultation, "support"),
        {"support": support, "support_other": "A laptop loan, please", "interest": ""},
    )
    assert invalid.status_code == 200

    client.get(url(consultation, "changes"))  # the page's Back link
    check = client.get(reverse("consultation:check", args=[consultation.slug]))
    again = client.get(url(consultation, "support"))

    # The page is not done until it passes: the check page sends the resident back to it.
    assert check["Location"] == url(consultation, "support")
    html = again.content.decode()
    assert "A laptop loan, please</textarea>" in html
    assert again.context["form"].initial["support"] == support
    assert again.context["form"].initial["interest"] == ""
    assert "There is a problem" not in html


def test_a_page_put_right_after_an_error_counts_as_done(client, consultation):
    answer_every_page(client, consultation)
    client.post(url(consultation, "support"), {"support_other": "A laptop loan", "interest": ""})
    client.post(url(consultation, "support"), {"support_other": "A mentor", "interest": "quite"})

    check = client.get(reverse("consultation:check", args=[consultation.slug]))
    assert check.status_code == 200
    assert "A mentor" in check.content.decode()
    assert "A mentor</textarea>" in client.get(url(consultation, "support")).content.decode()


def test_changing_an_answer_returns_to_check_your_answers(client, consultation):
    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    change_link = f"{url(consultation, 'comments')}?change=1"
    assert change_link in client.get(check_url).content.decode()

    response = client.post(change_link, {"comments": "Evening classes, please."})

    assert response["Location"] == check_url
    html = client.get(check_url).content.decode()
    assert "Evening classes, please." in html
    assert "More courses at weekends" not in html


def test_check_your_answers_needs_every_page_first(client, consultation):
    client.post(url(consultation, "barriers"), page_answers(consultation)["barriers"])
    response = client.get(reverse("consultation:check", args=[consultation.slug]))
    assert response["Location"] == url(consultation, "changes")


def test_about_you_questions_can_all_be_skipped(client, consultation):
    answer_every_page(client, consultation, **{"about-you": {}, "circumstances": {}})
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))
    client.post(check_url, {"submission_key": key})
    response = Response.objects.get()
    assert (response.age_band, response.sex, response.ethnic_group, response.area) == (
        "",
        "",
        "",
        "",
    )


def test_every_equality_question_offers_prefer_not_to_say(client, consultation):
    for step in ("about-you", "circumstances"):
        form = client.get(url(consultation, step)).context["form"]
        for name, field in form.fields.items():
            if name == "website":
                continue
            values = [v for v, _ in field.choices]
            values += [v for _, group in field.choices if isinstance(group, list) for v, _ in group]
            assert "prefer_not" in values, name


CENSUS_2021_ENGLAND = [
    (
        "White",
        [
            "English, Welsh, Scottish, Northern Irish or British",
            "Irish",
            "Gypsy or Irish Traveller",
            "Roma",
            "Any other White background",
        ],
    ),
    (
        "Mixed or multiple ethnic groups",
        [
            "White and Black Caribbean",
            "White and Black African",
            "White and Asian",
            "Any other Mixed or multiple ethnic background",
        ],
    ),
    (
        "Asian or Asian British",
        ["Indian", "Pakistani", "Bangladeshi", "Chinese", "Any other Asian background"],
    ),
    (
        "Black, Black British, Caribbean or African",
        ["Caribbean", "African", "Any other Black, Black British or Caribbean background"],
    ),
    ("Other ethnic group", ["Arab", "Any other ethnic group"]),
]


def test_ethnic_groups_are_the_census_nineteen_under_five_headings(client, consultation):
    form = client.get(url(consultation, "about-you")).context["form"]
    groups = [
        (str(heading), [str(label) for _, label in options])
        for heading, options in form.fields["ethnic_group"].choices
        if isinstance(options, list)
    ]
    assert groups == CENSUS_2021_ENGLAND
    assert sum(len(labels) for _, labels in groups) == 19


def test_ethnic_headings_of_the_figures_use_the_census_wording():
    choices = [str(label) for _, label in EthnicHeading.choices]
    assert choices[:-1] == [heading for heading, _ in CENSUS_2021_ENGLAND]


def test_each_resident_checks_their_own_answers_in_the_lists_kept_ready(consultation):
    """The questions and their Change links are kept ready for everyone; the answers in
    them are each resident's own, escaped, with their line breaks."""
    check_url = reverse("consultation:check", args=[consultation.slug])
    first, second = Client(), Client()
    answer_every_page(first, consultation, comments={"comments": "<b>Evening</b> courses\nplease"})
    answer_every_page(
        second,
        consultation,
        changes={"changes": option_ids(consultation, OptionKind.CHANGE, 1)},
        comments={"comments": ""},
    )
    theirs = first.get(check_url).content.decode()
    mine = second.get(check_url).content.decode()
    assert "&lt;b&gt;Evening&lt;/b&gt; courses<br>please" in theirs
    assert "Evening" not in mine
    assert mine.count("Not answered") == theirs.count("Not answered") + 1
    changes = {
        pk: consultation.options.get(pk=pk).label
        for pk in option_ids(consultation, OptionKind.CHANGE, 0, 1)
    }
    first_change, second_change = changes.values()
    assert f"<li>{first_change}</li>" in theirs
    assert f"<li>{first_change}</li>" not in mine
    assert f"<li>{second_change}</li>" in mine
    assert f"<li>{second_change}</li>" not in theirs
    assert "<!--answer:" not in theirs + mine
    assert theirs.count("?change=1") == mine.count("?change=1") > 0


def test_check_your_answers_is_made_once_and_filled_in_for_each_resident(consultation):
    """The page is the same for every resident who answered the same questions, bar their
    answers, their submission key and their CSRF token: made once, then filled in for each."""
    check_url = reverse("consultation:check", args=[consultation.slug])
    first, second = Client(), Client()
    answer_every_page(first, consultation)
    answer_every_page(
        second,
        consultation,
        barriers={"barriers": option_ids(consultation, OptionKind.BARRIER, 0)},
        comments={"comments": "Weekend courses"},
    )
    theirs_label, mine_label = (
        consultation.options.get(pk=pk).label
        for pk in option_ids(consultation, OptionKind.BARRIER, 1, 0)
    )

    made = first.get(check_url)
    kept = second.get(check_url)

    assert "consultation/check.html" in [t.name for t in made.templates]
    assert kept.templates == []
    theirs, mine = made.content.decode(), kept.content.decode()
    assert key_on(made) != key_on(kept)
    assert CSRF_TOKEN.search(theirs)[1] != CSRF_TOKEN.search(mine)[1]
    assert "Weekend courses" in mine
    assert "Weekend courses" not in theirs
    assert f"<li>{mine_label}</li>" in mine
    assert f"<li>{mine_label}</li>" not in theirs
    assert f"<li>{theirs_label}</li>" in theirs
    assert f"<li>{theirs_label}</li>" not in mine
    assert "<!--answer:" not in theirs + mine
    for page in (made, kept):
        assert "no-store" in page["Cache-Control"]
        assert not page.has_header("ETag")  # never answered 304: it is the resident's own
        assert int(page["Content-Length"]) == len(page.content)
    second.handler.enforce_csrf_checks = True  # the token filled in must be theirs
    sent = second.post(
        check_url,
        {"submission_key": key_on(kept), "csrfmiddlewaretoken": CSRF_TOKEN.search(mine)[1]},
    )
    assert sent.status_code == 302
    assert Response.objects.get().submission_key == uuid.UUID(key_on(kept))


def test_an_answer_that_looks_like_a_mark_is_shown_as_typed(consultation):
    from consultation.views import ANSWER_MARK_KEY

    check_url = reverse("consultation:check", args=[consultation.slug])
    typed = f"<!--answer:{ANSWER_MARK_KEY}:submission_key--><script>x()</script>"
    answer_every_page(Client(), consultation)
    client = Client()
    answer_every_page(client, consultation, comments={"comments": typed})

    html = client.get(check_url).content.decode()

    assert "<script>x()" not in html
    assert "<!--answer:" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html
    assert len(SUBMISSION_KEY.findall(html)) == 1


def test_a_signed_in_resident_s_check_page_is_made_for_them(client, consultation, member):
    client.force_login(member)
    check_url = reverse("consultation:check", args=[consultation.slug])
    answer_every_page(client, consultation)
    client.get(check_url)

    again = client.get(check_url)

    assert "consultation/check.html" in [t.name for t in again.templates]
    assert "<!--answer:" not in again.content.decode()
    client.post(check_url, {"submission_key": key_on(again)})
    assert Response.objects.get().submission_key == uuid.UUID(key_on(again))


def test_sending_twice_makes_one_response(client, consultation):
    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))

    first = client.post(check_url, {"submission_key": key})
    second = client.post(check_url, {"submission_key": key})  # double click, or retry

    assert (
        first["Location"]
        == second["Location"]
        == reverse("consultation:done", args=[consultation.slug])
    )
    assert Response.objects.count() == 1


def test_a_second_press_that_read_the_draft_before_the_first_was_saved_sends_nothing_new(
    client, consultation
):
    """Two presses of "send" at once both find the draft in the session: the second's
    answers are found by the service as it saves, and the resident sees the first's
    reference."""
    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))
    session = client.session
    read_by_the_second = dict(session.items())

    client.post(check_url, {"submission_key": key})
    reference = Response.objects.get().reference
    session = client.session  # as the second press read it, before the first was saved
    session.update(read_by_the_second)
    session.save()
    with CaptureQueriesContext(connection) as queries:
        second = client.post(check_url, {"submission_key": key})
    # Not looked up first: the database refuses the key, then the answers are found.
    answers = [q["sql"] for q in queries.captured_queries if "consultation_response" in q["sql"]]
    assert answers[0].startswith(("INSERT", "WITH"))
    assert any(sql.startswith("SELECT") for sql in answers[1:])

    assert second["Location"] == reverse("consultation:done", args=[consultation.slug])
    assert reference in client.get(second["Location"]).content.decode()
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # the send's own transaction, as in production
def test_sending_reads_everything_before_its_transaction_opens(client, consultation):
    """A consultation's figures version is one row that every answer sent moves on: the
    transaction that moves it holds only the writes, so each resident waits for the one
    before as little as possible."""
    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))
    with CaptureQueriesContext(connection) as queries:
        assert client.post(check_url, {"submission_key": key}).status_code == 302
    statements = [q["sql"] for q in queries.captured_queries]
    first = next(i for i, sql in enumerate(statements) if "INSERT INTO" in sql)
    last = next(i for i, sql in enumerate(statements) if "figures_version" in sql)
    held = statements[first : last + 1]
    assert all(sql.startswith(("INSERT", "UPDATE", "WITH")) for sql in held)
    # The session read and written (begin, update, commit where sessions are in the
    # database alone), the answer lists' kinds and the ward checked, and the transaction:
    # begin, the answers, the answers ticked, the figures version (one statement on
    # PostgreSQL), commit.
    assert len(statements) <= 11
    assert Response.objects.count() == 1


def test_answers_whose_address_cannot_be_kept_are_not_saved_either(consultation):
    """The answers and the address to write to are saved together or not at all."""
    answers = {**page_answers(consultation)["barriers"], "email": "nowhere", "consent": True}
    with pytest.raises(ValidationError):
        services.questionnaire_submit(
            consultation=consultation,
            answers=answers,
            submission_key=uuid.uuid4(),
            consent_text="Tell me about opportunities",
        )
    assert Response.objects.count() == 0
    assert Contact.objects.count() == 0


def test_a_ward_is_given_exactly_when_the_answer_is_a_ward(consultation):
    """Checked before the answers are saved, beside the ward, without asking the database."""
    answers = {**page_answers(consultation)["barriers"], "area": "ward"}
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(ValidationError) as refused,
    ):
        services.response_submit(
            consultation=consultation, answers=answers, submission_key=uuid.uuid4()
        )
    assert not [q for q in queries.captured_queries if '"_check"' in q["sql"]]
    assert refused.value.message_dict == {
        "ward": ["Choose a ward only when the answer says the person lives in one."]
    }
    assert Response.objects.count() == 0


def test_a_consultation_closed_early_takes_no_more_answers_at_once(client, consultation):
    """Its row is kept for the residents' pages, under the public pages' revision: the
    change counts on the very next page."""
    client.post(url(consultation, "barriers"), page_answers(consultation)["barriers"])
    services.consultation_update(
        consultation=consultation, closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = client.post(url(consultation, "changes"), page_answers(consultation)["changes"])
    assert page.status_code == 403
    assert "This consultation has closed" in page.content.decode()


def test_the_back_button_after_sending_does_not_send_again(client, consultation):
    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))
    client.post(check_url, {"submission_key": key})

    back = client.get(check_url)  # the draft is gone: the resident is sent to the start
    assert back["Location"] == url(consultation, "barriers")
    client.post(check_url, {"submission_key": key})
    assert Response.objects.count() == 1


def test_an_email_for_news_is_kept_apart_with_its_consent(
    client, consultation, mailoutbox, django_capture_on_commit_callbacks
):
    answer_every_page(client, consultation, contact={"email": "ama@example.org", "consent": "on"})
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(check_url, {"submission_key": key})

    contact = Contact.objects.get()
    assert contact.email == "ama@example.org"
    assert "I agree to the Diversity in Tech commission emailing me" in contact.consent_text
    assert len(mailoutbox) == 1
    withdraw = contact.get_withdraw_url()
    assert withdraw in mailoutbox[0].body
    assert "ama@example.org" not in str(Response.objects.values().get())

    client.post(withdraw)
    contact.refresh_from_db()
    assert contact.email == ""
    assert "You will not hear from us again" in client.get(withdraw).content.decode()


def test_an_email_needs_the_consent_box_ticked(client, consultation):
    response = client.post(url(consultation, "contact"), {"email": "ama@example.org"})
    assert (
        "Tick the box to agree to emails, or remove your email address" in response.content.decode()
    )
    assert 'value="ama@example.org"' in response.content.decode()


def test_an_email_too_long_to_keep_is_refused_on_the_page_and_nothing_is_lost(client, consultation):
    # 312 characters: a valid address to the form's validator (up to 320) but longer than
    # the 254 an address can be kept in. It once passed the page and broke the submission.
    long_email = "a" * 300 + "@example.org"
    answer_every_page(client, consultation)
    page = client.post(url(consultation, "contact"), {"email": long_email, "consent": "on"})
    assert page.status_code == 200
    assert "254 characters or fewer" in page.content.decode()
    assert f'value="{long_email}"' in page.content.decode()  # what was typed stays
    # Nothing can be sent until the address is put right; the check page says where.
    check = client.get(reverse("consultation:check", args=[consultation.slug]))
    assert check["Location"] == url(consultation, "contact")
    assert Response.objects.count() == 0
    assert Contact.objects.count() == 0


def test_a_filled_honeypot_saves_nothing(client, consultation):
    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))
    response = client.post(check_url, {"submission_key": key, "website": "http://spam.example"})
    assert response.status_code == 400
    assert Response.objects.count() == 0

    page = client.post(url(consultation, "barriers"), {"website": "x", "barriers_other": "spam"})
    assert page.status_code == 400


def test_the_honeypot_is_hidden_from_people(client, consultation):
    html = client.get(url(consultation, "barriers")).content.decode()
    assert '<div class="honeypot">' in html


def test_submissions_from_one_client_are_rate_limited(client, consultation, settings):
    settings.CONSULTATION_SUBMISSIONS_PER_HOUR = 2
    check_url = reverse("consultation:check", args=[consultation.slug])
    statuses = []
    for _ in range(3):
        answer_every_page(client, consultation)
        key = key_on(client.get(check_url))
        statuses.append(client.post(check_url, {"submission_key": key}).status_code)
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2


def test_a_closed_consultation_says_so_and_takes_no_answers(client, consultation):
    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))
    with time_machine.travel(consultation.closes_at + datetime.timedelta(seconds=1)):
        detail = client.get(consultation.get_absolute_url())
        assert "This consultation closed on" in detail.content.decode()
        page = client.get(url(consultation, "barriers"))
        assert page.status_code == 403
        assert "This consultation has closed" in page.content.decode()
        sent = client.post(check_url, {"submission_key": key})
        assert sent.status_code == 403
    assert Response.objects.count() == 0


def test_a_consultation_not_yet_open_says_when_it_opens(client):
    future = ConsultationFactory(
        opens_at=timezone.now() + datetime.timedelta(days=3),
        closes_at=timezone.now() + datetime.timedelta(days=30),
    )
    assert "This consultation opens on" in client.get(future.get_absolute_url()).content.decode()
    assert client.get(url(future, "barriers")).status_code == 403


def test_pages_with_answers_are_never_cached(client, consultation):
    answer_every_page(client, consultation)
    for page in (
        url(consultation, "comments"),
        reverse("consultation:check", args=[consultation.slug]),
    ):
        assert "no-store" in client.get(page)["Cache-Control"]


def test_the_listing_shows_open_consultations_and_published_findings(client, consultation):
    closed = ConsultationFactory(
        title="Earlier consultation",
        opens_at=timezone.now() - datetime.timedelta(days=90),
        closes_at=timezone.now() - datetime.timedelta(days=30),
    )
    html = client.get(reverse("consultation:index")).content.decode()
    assert consultation.title in html
    assert closed.title not in html
    closed.findings_published = True
    closed.save()
    assert (
        "Findings of Earlier consultation"
        in client.get(reverse("consultation:index")).content.decode()
    )


def test_residents_cannot_see_answers(client, consultation):
    answer_every_page(client, consultation)
    check_url = reverse("consultation:check", args=[consultation.slug])
    client.post(check_url, {"submission_key": key_on(client.get(check_url))})
    reference = Response.objects.get().reference

    from django.test import Client

    stranger = Client()
    assert (
        stranger.get(reverse("consultation:done", args=[consultation.slug]))["Location"]
        == consultation.get_absolute_url()
    )
    assert (
        stranger.get(reverse("consultation_staff:results", args=[consultation.slug])).status_code
        == 302
    )
    assert reference not in stranger.get(consultation.get_absolute_url()).content.decode()


def _consultation_keys(session_data):
    return [key for key in session_data if key.startswith("consultation-")]


def _send(client, consultation, **changes):
    answer_every_page(client, consultation, **changes)
    check_url = reverse("consultation:check", args=[consultation.slug])
    key = key_on(client.get(check_url))
    return client.post(check_url, {"submission_key": key})


def test_a_signed_in_residents_session_keeps_no_link_to_their_answers(client, consultation, member):
    client.force_login(member)
    sent = _send(client, consultation, contact={"email": "ama@example.org", "consent": "on"})

    done = client.get(sent["Location"])
    assert Response.objects.get().reference in done.content.decode()
    for session in Session.objects.all():
        assert _consultation_keys(session.get_decoded()) == []
    # Shown once: coming back to it leads to the start page, not to the reference.
    assert client.get(sent["Location"])["Location"] == consultation.get_absolute_url()


def test_signing_in_forgets_answers_typed_before(client, consultation, member):
    client.post(url(consultation, "barriers"), page_answers(consultation)["barriers"])
    client.post(url(consultation, "comments"), {"comments": "My own words"})
    assert _consultation_keys(client.session.keys())

    signed_in = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})

    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    assert _consultation_keys(client.session.keys()) == []
    assert "My own words" not in client.get(url(consultation, "comments")).content.decode()


def test_signing_out_forgets_answers_typed_while_signed_in(client, consultation, member):
    client.force_login(member)
    client.post(url(consultation, "comments"), {"comments": "My own words"})
    assert _consultation_keys(client.session.keys())

    client.post(reverse("account_logout"))

    assert "_auth_user_id" not in client.session
    assert _consultation_keys(client.session.keys()) == []
    for session in Session.objects.all():
        assert _consultation_keys(session.get_decoded()) == []


def test_a_contact_carries_no_time_that_lines_up_with_a_response(
    client, consultation, django_capture_on_commit_callbacks
):
    submit(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, consultation, contact={"email": "ama@example.org", "consent": "on"})
    submit(consultation)

    contact = Contact.objects.get()
    values = {f.name: getattr(contact, f.name) for f in Contact._meta.concrete_fields}
    assert not [name for name, v in values.items() if isinstance(v, datetime.datetime)], values
    assert contact.consented_on == contact.confirmation_sent_on == timezone.localdate()
    # The three responses of the day share the contact's date: none stands out.
    days = {timezone.localdate(r.submitted_at) for r in Response.objects.all()}
    assert days == {contact.consented_on}
