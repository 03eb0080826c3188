"""The consultation in the languages it is offered in: addresses per language, the
switcher, the staff's translations and their review."""

import datetime
import re
import uuid
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from consultation import languages, services
from consultation.models import Contact, Response, TextPart, TranslationStatus
from surveys import publishing

from .factories import ConsultationFactory, answers, submit, translate_all
from .test_questionnaire import key_on

pytestmark = pytest.mark.django_db


def in_language(code, name, *args):
    with translation.override(code):
        return reverse(name, args=args)


@pytest.fixture
def consultation():
    return ConsultationFactory(title="Have your say on tech jobs")


def test_a_consultation_is_in_english_until_its_texts_are_reviewed(
    client, consultation, commission_staff
):
    turkish = in_language("tr", "consultation:detail", consultation.slug)
    assert turkish == f"/tr/consultation/{consultation.slug}/"
    page = client.get(turkish, follow=True)
    assert page.redirect_chain == [(consultation.get_absolute_url(), 302)]
    assert "This page is not available in Türkçe yet." in page.content.decode()
    assert 'class="portal-language-switcher"' not in page.content.decode()

    translate_all(consultation, "tr", commission_staff)
    page = client.get(turkish)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="tr" dir="ltr"' in html
    assert "[tr] Have your say on tech jobs" in html
    assert 'aria-label="Dil"' in html  # the switcher's own name, in Turkish
    english_url = in_language("en-gb", "consultation:detail", consultation.slug)
    english = client.get(english_url).content.decode()
    assert f'href="{turkish}" hreflang="tr" lang="tr" dir="ltr">Türkçe</a>' in english


def test_drafts_and_out_of_date_translations_are_not_offered(consultation, commission_staff):
    translate_all(consultation, "pl", commission_staff, mark="[pl]")
    assert languages.offered(consultation) == ["en-gb", "pl"]

    title = consultation.translations.get(language="pl", part="title")
    services.translation_save(
        consultation=consultation, language="pl", part="title", text=title.text
    )
    consultation.refresh_from_db()
    assert languages.offered(consultation) == ["en-gb"]  # a draft again

    services.translation_review(
        translation=consultation.translations.get(language="pl", part="title"),
        reviewed_by=commission_staff,
    )
    consultation.refresh_from_db()
    assert languages.offered(consultation) == ["en-gb", "pl"]

    option = consultation.options.first()
    services.option_save(
        consultation=consultation, kind=option.kind, label="Reworded in English", option=option
    )
    consultation.refresh_from_db()
    assert languages.offered(consultation) == ["en-gb"]  # its translation is out of date
    stale = consultation.translations.get(language="pl", option=option)
    with pytest.raises(services.TranslationOutOfDate):
        services.translation_review(translation=stale, reviewed_by=commission_staff)
    coverage = {c.language: c for c in languages.coverage(consultation)}["pl"]
    assert (coverage.out_of_date, coverage.missing) == (1, 0)


def test_the_switcher_on_a_question_page_keeps_what_was_typed(
    client, consultation, commission_staff
):
    translate_all(consultation, "yi", commission_staff, mark="[yi]")
    english = reverse("consultation:step", args=[consultation.slug, "comments"])
    yiddish = in_language("yi", "consultation:step", consultation.slug, "comments")
    page = client.get(english).content.decode()
    assert f'formaction="{yiddish}" name="switch_language" value="yi"' in page
    assert 'form="answers"' in page

    switched = client.post(
        yiddish, {"comments": "Evening courses, please.", "switch_language": "yi", "website": ""}
    )
    assert switched.status_code == 302
    assert switched["Location"] == yiddish
    page = client.get(yiddish).content.decode()
    assert '<html lang="yi" dir="rtl"' in page
    assert "Evening courses, please." in page


def test_a_response_records_the_language_it_was_given_in(client, consultation, commission_staff):
    translate_all(consultation, "bn", commission_staff, mark="[bn]")
    session = client.session
    for step, values in (("barriers", answers(consultation)),):
        client.post(in_language("bn", "consultation:step", consultation.slug, step), values)
    for step in ("changes", "support", "comments", "about-you", "circumstances", "contact"):
        client.post(
            in_language("bn", "consultation:step", consultation.slug, step),
            answers(consultation),
        )
    check_url = in_language("bn", "consultation:check", consultation.slug)
    check = client.get(check_url).content.decode()
    assert "[bn] " in check  # the ticked answers, in Bengali
    key = re.search(r'name="submission_key" value="([^"]+)"', check).group(1)
    done = client.post(check_url, {"submission_key": key, "website": ""})
    assert done["Location"] == in_language("bn", "consultation:done", consultation.slug)
    assert Response.objects.get().language == "bn"
    assert session is not None


class _Form(HTMLParser):
    """What a page's form would send back as it is: every box, hidden field and tick."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name", "")
        if tag == "textarea":
            self._textarea = name
            self.data[name] = ""
        elif tag == "input" and attrs.get("type") in ("text", "hidden"):
            self.data[name] = attrs.get("value") or ""
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.data[name] = "on"

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None


def _page_data(page: str) -> dict:
    form = _Form()
    form.feed(page)
    return {k: v for k, v in form.data.items() if k.startswith(("text_", "reviewed_", "shown_"))}


def test_staff_translate_and_review_a_language_on_one_page(
    client_for, commission_staff, consultation
):
    client = client_for(commission_staff)
    url = reverse("consultation_staff:translation_edit", args=[consultation.slug, "tr"])
    page = client.get(url).content.decode()
    needed = languages.needed(consultation)
    assert page.count('name="text_') == len(needed)
    assert 'lang="tr" dir="ltr"' in page
    # Each box is labelled with its English, marked as English (not shown as markup).
    assert 'Title: <span lang="en" dir="ltr">Have your say on tech jobs</span>' in page
    assert "&lt;span" not in page

    data = {f"text_{text.name}": f"TR {text.english}" for text in needed}
    data.update({f"reviewed_{text.name}": "on" for text in needed})
    data.update({k: v for k, v in _page_data(page).items() if k.startswith("shown_")})
    data["text_introduction"] = ""  # ticked as reviewed but not written
    before = list(consultation.translations.values_list("pk", "text", "status"))
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Write the translation before marking it reviewed" in refused.content.decode()
    after = list(consultation.translations.values_list("pk", "text", "status"))
    assert after == before  # nothing half-stored

    data["text_introduction"] = "TR introduction"
    saved = client.post(url, data)
    assert saved["Location"] == reverse("consultation_staff:translations", args=[consultation.slug])
    consultation.refresh_from_db()
    assert languages.offered(consultation) == ["en-gb", "tr"]
    turkish = consultation.translations.filter(language="tr")
    assert set(turkish.values_list("status", flat=True)) == {TranslationStatus.REVIEWED}
    assert consultation.translations.filter(reviewed_by=commission_staff).count() == len(needed)
    overview = client.get(reverse("consultation_staff:translations", args=[consultation.slug]))
    assert "Offered" in overview.content.decode()


def test_saving_the_page_as_it_is_leaves_an_out_of_date_translation_out_of_date(
    client_for, commission_staff, consultation
):
    translate_all(consultation, "tr", commission_staff)
    option = consultation.options.first()
    services.option_save(
        consultation=consultation, kind=option.kind, label="Reworded in English", option=option
    )
    client = client_for(commission_staff)
    url = reverse("consultation_staff:translation_edit", args=[consultation.slug, "tr"])
    page = client.get(url).content.decode()
    assert "Out of date: the English has changed" in page
    assert client.post(url, _page_data(page)).status_code == 302
    row = {r.needed.option_id: r for r in languages.text_rows(consultation, "tr")}[option.pk]
    assert row.state == languages.OUT_OF_DATE  # not quietly made a draft of the new English


def test_a_translation_is_not_saved_against_english_that_changed_while_the_page_was_open(
    client_for, commission_staff, consultation
):
    client = client_for(commission_staff)
    url = reverse("consultation_staff:translation_edit", args=[consultation.slug, "tr"])
    data = _page_data(client.get(url).content.decode())
    option = consultation.options.first()
    data[f"text_option_{option.pk}"] = "Türkçe metin"
    data[f"reviewed_option_{option.pk}"] = "on"
    services.option_save(
        consultation=consultation, kind=option.kind, label="Reworded meanwhile", option=option
    )
    page = client.post(url, data)
    assert page.status_code == 200
    assert "Its English changed while you were translating" in page.content.decode()
    assert not consultation.translations.filter(
        option=option, language="tr", status=TranslationStatus.REVIEWED
    ).exists()


def test_a_language_whose_own_words_are_not_reviewed_is_not_offered(
    settings, consultation, commission_staff
):
    settings.INTERFACE_LANGUAGES_REVIEWED = ["pl"]
    translate_all(consultation, "tr", commission_staff)
    translate_all(consultation, "pl", commission_staff, mark="[pl]")
    consultation.refresh_from_db()
    assert languages.offered(consultation) == ["en-gb", "pl"]
    coverage = {c.language: c for c in languages.coverage(consultation)}
    assert coverage["tr"].reviewed == coverage["tr"].needed
    assert not coverage["tr"].interface_reviewed
    assert not coverage["tr"].is_offered


def test_answers_sent_as_their_language_is_withdrawn_go_on_to_english(
    client, consultation, commission_staff
):
    translate_all(consultation, "tr", commission_staff)
    url = in_language("tr", "consultation:step", consultation.slug, "comments")
    consultation.translations.filter(language="tr", part="title").delete()
    sent = client.post(url, {"comments": "Kept", "website": ""})
    assert sent.status_code == 307
    assert sent["Location"] == in_language(
        "en-gb", "consultation:step", consultation.slug, "comments"
    )
    client.post(sent["Location"], {"comments": "Kept", "website": ""})
    page = client.get(sent["Location"]).content.decode()
    assert "Kept" in page


def test_easy_read_chosen_stays_chosen_through_a_language_without_it(
    client, consultation, commission_staff
):
    translate_all(consultation, "tr", commission_staff)
    english = reverse("consultation:step", args=[consultation.slug, "barriers"])
    assert "Things that make it hard" in client.get(f"{english}?version=easy-read").content.decode()
    turkish = in_language("tr", "consultation:step", consultation.slug, "barriers")
    assert "images/easy-read/" not in client.get(turkish).content.decode()
    assert "Things that make it hard" in client.get(english).content.decode()


def test_staff_cannot_translate_into_a_language_the_portal_does_not_offer(
    client_for, commission_staff, consultation
):
    url = reverse("consultation_staff:translation_edit", args=[consultation.slug, "fr"])
    assert client_for(commission_staff).get(url).status_code == 404


def test_a_turkish_response_counts_under_the_same_questions_as_an_english_one(
    client_for, commission_staff, consultation
):
    translate_all(consultation, "tr", commission_staff)
    for key, language in ((uuid.uuid4(), "tr"), (uuid.uuid4(), "en-gb"), (uuid.uuid4(), "tr")):
        services.response_submit(
            consultation=consultation,
            answers=answers(consultation),
            submission_key=key,
            language=language,
        )
    page = client_for(commission_staff).get(
        reverse("consultation_staff:results", args=[consultation.slug]), {"by": "language"}
    )
    barriers = page.context["results"].barriers
    # Languages nobody answered in have no column, as any empty group.
    assert [label for _code, label in barriers.columns] == ["English", "Türkçe"]
    ticked = next(row for row in barriers.rows if row.total.count)
    assert ticked.total.count == 3
    assert [cell.count for cell in ticked.cells] == [1, 2]
    assert "Language answered in" in page.content.decode()


def test_a_new_consultation_starts_with_drafts_of_its_starting_lists(consultation):
    """The portal ships drafts of its starting answer lists and news topics in every
    language, for a fluent speaker to review: never offered before that."""
    drafts = consultation.translations.filter(language="tr", part="option")
    assert drafts.count() == consultation.options.count()
    assert set(drafts.values_list("status", flat=True)) == {TranslationStatus.DRAFT}
    cost = consultation.options.get(label="The cost of training or courses")
    assert drafts.get(option=cost).text != cost.label
    assert languages.offered(consultation) == ["en-gb"]
    # Its own title is its own: nobody has translated it.
    assert not consultation.translations.filter(part="title").exists()


def test_published_findings_name_each_answer_in_the_page_language(client, commission_staff):
    consultation = ConsultationFactory()
    for _ in range(12):
        submit(consultation)
    theme = services.theme_create(consultation=consultation, name="Course times")
    for response in consultation.responses.all():
        services.response_code(response=response, themes=[theme], coded_by=commission_staff)
    translate_all(consultation, "tr", commission_staff)
    with time_machine.travel(consultation.closes_at + datetime.timedelta(hours=1)):
        publishing.findings_publish(questionnaire=consultation, summary="What we heard.")
        english_url = in_language("en-gb", "consultation:findings", consultation.slug)
        turkish_url = in_language("tr", "consultation:findings", consultation.slug)
        turkish = client.get(turkish_url).content.decode()
        english = client.get(english_url).content.decode()
    label = consultation.options.get(label="The cost of training or courses").label
    assert f"[tr] {label}" in turkish
    assert f"[tr] {label}" not in english  # the kept release is not changed by a language
    assert label in english
    # Themes are staff's own codes, in English: marked so on a Turkish page, for screen readers.
    assert 'lang="en" dir="ltr">Course times</th>' in turkish
    assert '<div lang="en" dir="ltr"><p>What we heard.</p></div>' in turkish
    assert 'lang="en" dir="ltr"' not in english


def test_published_findings_are_kept_rendered_and_show_a_changed_translation_at_once(
    client, commission_staff
):
    """The release's charts and tables are rendered once and kept (a release is frozen);
    a translation changed afterwards shows on the next visit."""
    consultation = ConsultationFactory()
    for _ in range(12):
        submit(consultation)
    translate_all(consultation, "tr", commission_staff)
    option = consultation.options.get(label="The cost of training or courses")
    with time_machine.travel(consultation.closes_at + datetime.timedelta(hours=1)):
        publishing.findings_publish(questionnaire=consultation, summary="What we heard.")
        url = in_language("tr", "consultation:findings", consultation.slug)
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        tables = "consultation/includes/findings_tables.html"
        assert tables in [t.name for t in first.templates]
        assert tables not in [t.name for t in again.templates]
        # Nor are the release's stored tables read again.
        assert not any('"reporting_release"."tables"' in q["sql"] for q in queries)
        assert again.content == first.content

        services.translation_save(
            consultation=consultation,
            language="tr",
            part=TextPart.OPTION,
            option=option,
            topic=None,
            text="Kurs ücretleri",
            reviewed_by=commission_staff,
        )
        changed = client.get(url).content.decode()
    assert "Kurs ücretleri" in changed
    assert f"[tr] {option.label}" not in changed


def test_the_list_in_another_language_leads_to_consultations_not_in_it_in_english(
    client, consultation, commission_staff
):
    other = ConsultationFactory(title="Only in English")
    translate_all(consultation, "tr", commission_staff)
    page = client.get(in_language("tr", "consultation:index")).content.decode()
    turkish = in_language("tr", "consultation:detail", consultation.slug)
    english = in_language("en-gb", "consultation:detail", other.slug)
    assert f'href="{turkish}">[tr] Have your say on tech jobs</a>' in page
    assert f'href="{english}" hreflang="en-gb" lang="en-gb" dir="ltr">Only in English</a>' in page


def test_an_email_sent_while_a_resident_answers_in_another_language_is_in_english(
    client, consultation, commission_staff, mailoutbox, django_capture_on_commit_callbacks
):
    """Emails are written in English whoever sends them (Celery eager sends them inside the
    resident's request, where their language is active): their text and their links."""
    translate_all(consultation, "pl", commission_staff, mark="[pl]")
    for step in ("barriers", "changes", "support", "comments", "about-you", "circumstances"):
        client.post(
            in_language("pl", "consultation:step", consultation.slug, step), answers(consultation)
        )
    client.post(
        in_language("pl", "consultation:step", consultation.slug, "contact"),
        {"email": "ola@example.org", "consent": "on"},
    )
    check_url = in_language("pl", "consultation:check", consultation.slug)
    key = key_on(client.get(check_url))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(check_url, {"submission_key": key, "website": ""})
    (confirmation,) = mailoutbox
    token = Contact.objects.get().token
    assert f"http://127.0.0.1:8000/consultation/contact/{token}/" in confirmation.body
    assert "/pl/" not in confirmation.body


def test_dates_on_a_yiddish_page_name_the_month_in_yiddish(client, consultation, commission_staff):
    """Django ships no Yiddish: the portal's own catalogue names the months and weekdays."""
    translate_all(consultation, "yi", commission_staff, mark="[yi]")
    page = client.get(in_language("yi", "consultation:detail", consultation.slug))
    closes = timezone.localtime(consultation.closes_at)
    with translation.override("yi"):
        month = gettext(closes.strftime("%B"))
    assert month != closes.strftime("%B")
    assert f"{closes.day} {month} {closes.year}" in page.content.decode()


def test_pages_of_no_one_consultation_are_shown_only_in_reviewed_languages(
    client, settings, consultation
):
    """The list of consultations and an email's links are in a language only once its
    catalogue is reviewed; before that they lead to English, saying so."""
    settings.INTERFACE_LANGUAGES_REVIEWED = ["pl"]
    contact = services.contact_add(
        consultation=consultation, email="ada@example.org", consent_text="Yes"
    )
    for name, args in (
        ("consultation:index", []),
        ("consultation:contact_topics", [contact.token]),
    ):
        turkish = client.get(in_language("tr", name, *args), follow=True)
        assert turkish.redirect_chain == [(in_language("en-gb", name, *args), 302)], name
        assert "This page is not available in Türkçe yet." in turkish.content.decode()
        polish = client.get(in_language("pl", name, *args))
        assert polish.status_code == 200, name
        assert '<html lang="pl"' in polish.content.decode()
    switcher = client.get(in_language("en-gb", "consultation:index")).content.decode()
    assert 'hreflang="pl"' in switcher
    assert 'hreflang="tr"' not in switcher
