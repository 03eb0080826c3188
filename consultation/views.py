import dataclasses
import functools
import re
import secrets
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from common import kept_pages, ratelimit, revisions
from common.languages import switcher
from reporting.releases import current_release, release_tables

from . import analysis, easy_read, exports, languages, selectors, services
from .drafts import Draft
from .forms import CONSENT_TEXT, STEP_BY_SLUG, STEPS, SubmitForm, TopicsForm
from .models import Consultation, Contact, Version


class NotInThisLanguage(Exception):
    """The page is not offered in the language its address asks for."""


def _in_language(request, consultation: Consultation, *, also=None) -> Consultation:
    """The consultation as the resident reads it in the page's language, with the language
    switcher set to the languages it is offered in (``languages``; those for which
    ``also(code)`` holds, if given). A consultation not offered in the page's language
    answers with its English page (``resident_page``)."""
    offered = languages.offered(consultation)
    if get_language() not in offered:
        raise NotInThisLanguage
    request.page_languages = switcher(request, [c for c in offered if also is None or also(c)])
    return languages.as_read(consultation)


def _in_interface_language() -> None:
    """For a resident page that is no consultation's own (the list, an email's links): only
    in a language whose catalogue is reviewed."""
    if get_language() not in languages.interface_offered():
        raise NotInThisLanguage


def _to_english(request):
    """The English page of one not offered in the language asked for, saying so (in
    English: the resident reads the page it leads to in English; the language's name is
    written in itself, so they recognise it)."""
    asked = dict(settings.LANGUAGES).get(get_language(), get_language())
    english = translate_url(request.get_full_path(), settings.LANGUAGE_CODE)
    with override(settings.LANGUAGE_CODE):
        messages.info(
            request, _("This page is not available in %(language)s yet.") % {"language": asked}
        )
    if request.method == "POST":
        # Answers sent as the language was withdrawn go on to the English page as they are
        # (307 keeps the method and the form), so nothing typed is lost.
        moved = HttpResponse(status=307)
        moved["Location"] = english
        return moved
    return redirect(english)


def resident_page(view):
    """A page of a consultation's resident journey: in the languages it is offered in."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotInThisLanguage:
            return _to_english(request)

    return wrapped


@require_GET
@resident_page
def index(request):
    """Public. Open consultations, and closed ones with published findings, in the page's
    language where they are offered in it (each other one says it is in English)."""
    _in_interface_language()
    open_now, published = selectors.public_consultations()
    request.page_languages = switcher(request, languages.interface_offered())
    return render(
        request,
        "consultation/index.html",
        {
            "open_now": [languages.as_read(c) for c in open_now],
            "published": [languages.as_read(c) for c in published],
        },
    )


@require_GET
@resident_page
@kept_pages.whole
def detail(request, slug):
    """Public. The consultation's start page: what it is about, and whether it is open."""
    consultation = _in_language(request, get_object_or_404(Consultation, slug=slug))
    return render(
        request,
        "consultation/consultation_detail.html",
        {
            "consultation": consultation,
            "first_step": STEPS[0],
            "easy_read_offered": easy_read.offered_in(get_language()),
        },
    )


@require_GET
@resident_page
def easy_read_start(request, slug):
    """Public. The Easy Read version's start page: what the consultation is about in short
    sentences, with pictures, and the way in (in the languages it is offered in)."""
    consultation = _in_language(
        request, get_object_or_404(Consultation, slug=slug), also=easy_read.offered_in
    )
    if not easy_read.offered_in(get_language()):
        raise Http404
    return render(
        request,
        "consultation/easy_read.html",
        {"consultation": consultation, "first_step": STEPS[0]},
    )


@require_GET
@resident_page
def privacy(request, slug):
    """Public. The consultation's own privacy notice, linked from every page of the form."""
    consultation = _in_language(request, get_object_or_404(Consultation, slug=slug))
    return render(request, "consultation/privacy.html", {"consultation": consultation})


def _answered(request, slug) -> Consultation:
    """The consultation a resident is answering, kept under the public pages' revision as
    they first read it (``selectors.consultation_read_by_residents``)."""
    consultation = selectors.consultation_read_by_residents(
        slug=slug, revision=revisions.of_request(request)
    )
    if consultation is None:
        raise Http404
    return consultation


def _closed(request, consultation):
    return render(request, "consultation/closed.html", {"consultation": consultation}, status=403)


def _bot(request, consultation):
    # A filled honeypot: say nothing useful, keep nothing.
    return render(request, "consultation/not_sent.html", {"consultation": consultation}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
@resident_page
@kept_pages.whole
def step(request, slug, step_slug):
    """Public, while the consultation is open. One page of the questionnaire. Its language
    switcher, and its link to the other version, send what is typed on the page, kept as
    it is, to the same page in the language or version chosen (``switch_language``,
    ``switch_version``)."""
    consultation = _answered(request, slug)
    current = STEP_BY_SLUG.get(step_slug)
    if current is None:
        raise Http404
    consultation = _in_language(request, consultation)
    if not consultation.is_open():
        return _closed(request, consultation)
    draft = Draft(request.session, consultation)
    choice = easy_read.chosen(request.GET.get("version"), draft.version())
    if choice != draft.version():
        draft.set_version(choice)
    version = easy_read.shown(choice, get_language())
    in_easy_read = version == Version.EASY_READ
    changing = request.GET.get("change") == "1"

    def page_form(*args, **kwargs):
        form = current.form_class(*args, consultation=consultation, **kwargs)
        return easy_read.adapt(form, current.slug) if in_easy_read else form

    def page(form):
        index = STEPS.index(current)
        return render(
            request,
            "consultation/step.html",
            {
                "consultation": consultation,
                "form": form,
                "fields": _fields(form, consultation, version),
                "step": current,
                "easy_read": easy_read.PAGES[current.slug] if in_easy_read else None,
                "easy_read_offered": easy_read.offered_in(get_language()),
                "step_number": index + 1,
                "step_count": len(STEPS),
                "previous": STEPS[index - 1] if index else None,
                "changing": changing,
                "switch_form": "answers",
            },
        )

    if request.method == "POST":
        form = page_form(request.POST)
        if form.is_bot():
            return _bot(request, consultation)
        if "switch_language" in request.POST or "switch_version" in request.POST:
            if form.is_valid():
                draft.save_step(current.slug, form.cleaned_data)
            else:
                draft.save_typed(current.slug, form)
            return redirect(request.get_full_path())
        if form.is_valid():
            draft.save_step(current.slug, form.cleaned_data)
            following = draft.first_incomplete_step()
            if changing or following is None:
                return redirect("consultation:check", slug=consultation.slug)
            return redirect("consultation:step", slug=consultation.slug, step_slug=following.slug)
        draft.save_typed(current.slug, form)
        return page(form)
    initial = draft.initial(current.slug)
    blank = not any(initial.get(name) for name in current.form_class.base_fields)
    if blank and kept_pages.may_keep_whole(request):
        # Nothing of the resident's on it yet: the same page as everyone's (``whole``).
        # The standard version is the page ``whole`` keeps for visitors with no session.
        kind = "" if version == Version.STANDARD else version
        return kept_pages.served_whole(request, lambda: page(page_form(initial=initial)), kind=kind)
    return page(page_form(initial=initial))


def _fields(form, consultation: Consultation, version: str) -> str:
    """The page's fields as HTML. A blank page looks the same to everyone until its answer
    lists change, so it is kept ready under a key naming the page, the language and the
    version of those lists (common.kept_pages); a page with answers or errors is rendered
    as it is."""
    if form.is_bound or any(form.initial.get(name) for name in form.fields):
        return render_to_string("includes/fields.html", {"form": form})
    return kept_pages.fragment(
        f"consultation-fields:{consultation.pk}:{consultation.questions_version}:"
        f"{type(form).__name__}:{get_language()}:{version}",
        lambda: (render_to_string("includes/fields.html", {"form": form}), None),
    )


@never_cache
@require_http_methods(["GET", "POST"])
@resident_page
def check(request, slug):
    """Public, while open. The resident checks their answers, then sends them."""
    stored = _answered(request, slug)
    consultation = _in_language(request, stored)  # for showing; services get ``stored``
    draft = Draft(request.session, consultation)
    form = SubmitForm(request.POST or None, consultation=consultation)
    if request.method == "POST":
        if form.is_bot():
            return _bot(request, consultation)
        key = request.POST.get("submission_key", "")
        # Answers sent already from this draft, while it is open, are found by the
        # service as it saves.
        from_draft = draft.holds(key) and stored.is_open()
        already = None if from_draft else _already_sent(consultation, key)
        if already is not None:
            draft.finish(already.reference)
            return redirect("consultation:done", slug=consultation.slug)
    if not consultation.is_open():
        return _closed(request, consultation)
    missing = draft.first_incomplete_step()
    if missing is not None:
        return redirect("consultation:step", slug=consultation.slug, step_slug=missing.slug)
    answers = draft.answers()
    if request.method == "POST":
        if not ratelimit.allow(
            request,
            scope="consultation-submit",
            limit=settings.CONSULTATION_SUBMISSIONS_PER_HOUR,
            period=3600,
        ):
            return render(request, "429.html", status=429)
        try:
            response = services.questionnaire_submit(
                consultation=stored,
                answers=answers,
                submission_key=draft.submission_key(),
                consent_text=str(CONSENT_TEXT),
                language=get_language(),
                version=easy_read.shown(draft.version(), get_language()),
            )
        except services.ConsultationClosed:
            return _closed(request, consultation)
        draft.finish(response.reference)
        return redirect("consultation:done", slug=consultation.slug)
    version = easy_read.shown(draft.version(), get_language())
    pages = selectors.check_answer_pages(consultation, answers, version)
    rows = [row for page in pages for row in page.rows]

    def page():
        return render(
            request,
            "consultation/check.html",
            {
                "consultation": consultation,
                "pages": pages,
                "answer_lists": _answer_lists(consultation, pages, rows, version),
                "submission_key": _mark(SUBMISSION_KEY_FIELD),
                "form": form,
                "fields": _fields(form, consultation, version),
            },
        )

    key = draft.submission_key()  # made with the first answers (``Draft.save_step``)
    if kept_pages.may_keep_whole(request):
        # The same for every resident who answered the same questions, bar the answers and
        # the key, which are marks: kept whole (``kept_pages.whole``), then filled in.
        names = ",".join(row.field for row in rows)  # the topics are asked only with an address
        kind = f"check:{consultation.questions_version}:{version}:{kept_pages.digest(names)}"
        response = kept_pages.served_whole(request, page, kind=kind)
    else:
        response = page()
    return _filled_in(response, rows, key)


# Unknown outside this process, as the CSRF hole is (common.kept_pages): nothing else in
# the page it marks can be taken for a mark.
ANSWER_MARK_KEY = secrets.token_hex(8)
ANSWER_MARK = re.compile(rf"<!--answer:{ANSWER_MARK_KEY}:(\w+)-->")
SUBMISSION_KEY_FIELD = "submission_key"


def _mark(field: str) -> str:
    return mark_safe(f"<!--answer:{ANSWER_MARK_KEY}:{field}-->")  # noqa: S308 - a field's name


def _answer_lists(consultation: Consultation, pages, rows, version: str) -> str:
    """The lists of "check your answers" as HTML, with a mark where each answer goes. The
    questions and their Change links are the same for everyone until the questions change:
    kept ready (common.kept_pages) under a key naming them, the language and the version,
    for pages not kept whole (a signed-in resident's)."""
    names = ",".join(row.field for row in rows)
    key = (
        f"check-lists:{consultation.pk}:{consultation.questions_version}:{get_language()}:"
        f"{version}:{kept_pages.digest(names)}"
    )

    def render_marked():
        marked = [
            selectors.AnswerPage(
                page.step,
                page.title,
                [dataclasses.replace(row, answer=_mark(row.field)) for row in page.rows],
            )
            for page in pages
        ]
        context = {"consultation": consultation, "pages": marked}
        return render_to_string("consultation/includes/check_lists.html", context), None

    return mark_safe(kept_pages.fragment(key, render_marked))  # noqa: S308 - rendered


def _filled_in(response, rows, submission_key: uuid.UUID):
    """The check page with the resident's own answers, escaped, and submission key in
    place of their marks; a mark of no answer reads as not answered."""
    not_answered = format_html('<span class="portal-secondary-text">{}</span>', _("Not answered"))
    answers = {row.field: _answer_html(row, not_answered) for row in rows}
    answers[SUBMISSION_KEY_FIELD] = str(submission_key)
    html = response.content.decode()
    response.content = ANSWER_MARK.sub(lambda mark: answers.get(mark[1], not_answered), html)
    return response


def _answer_html(row, not_answered: str) -> str:
    if not row.answer:
        return not_answered
    if row.is_list:
        items = format_html_join("", "<li>{}</li>", ((item,) for item in row.answer))
        return format_html('<ul class="govuk-list">{}</ul>', items)
    return linebreaksbr(row.answer, autoescape=True)


def _already_sent(consultation, key: str):
    """The response these answers already made, if a previous press of "send" got through."""
    try:
        parsed = uuid.UUID(key)
    except ValueError:
        return None
    return selectors.response_by_submission_key(consultation=consultation, key=parsed)


@never_cache
@require_GET
@resident_page
def done(request, slug):
    """Public. The confirmation page, with the reference number, for who just sent answers.
    Shown once: reloading it leads back to the consultation's start page."""
    consultation = _in_language(request, get_object_or_404(Consultation, slug=slug))
    reference = Draft(request.session, consultation).take_finished_reference()
    if reference is None:
        return redirect(consultation)
    return render(
        request,
        "consultation/done.html",
        {"consultation": consultation, "reference": reference},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@resident_page
def withdraw_contact(request, token):
    """Anyone holding the link from an email: stop the emails and erase the address."""
    _in_interface_language()
    contact = get_object_or_404(Contact, token=token)
    if request.method == "POST":
        services.contact_withdraw(contact=contact)
        return redirect(reverse("consultation:withdraw_contact", args=[token]))
    return render(request, "consultation/withdraw_contact.html", {"contact": contact})


@never_cache
@require_http_methods(["GET", "POST"])
@resident_page
def contact_topics(request, token):
    """Anyone holding the link from an email: what the address hears about, to change."""
    _in_interface_language()
    contact = get_object_or_404(Contact.objects.prefetch_related("topics"), token=token)
    if contact.withdrawn_at is not None:
        return redirect(contact.get_withdraw_url())
    chosen = [str(t.pk) for t in contact.topics.all()]
    form = TopicsForm(request.POST or None, initial={"topics": chosen})
    if form.is_valid():
        services.contact_set_topics(contact=contact, topics=form.cleaned_data["topics"])
        messages.success(request, _("Saved: you will hear about what you chose."))
        return redirect(contact.get_manage_url())
    return render(request, "consultation/contact_topics.html", {"contact": contact, "form": form})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """A mail program's one-click unsubscribe (RFC 8058: a POST of
    ``List-Unsubscribe=One-Click``, without cookies, so without a CSRF token; the
    unguessable link is the permission): stop the emails and erase the address. Opened
    in a browser (a GET), it asks first, as the withdrawal page does."""
    contact = get_object_or_404(Contact, token=token)
    if request.method == "GET":
        return redirect(contact.get_withdraw_url())
    services.contact_withdraw(contact=contact)
    return HttpResponse(
        _("Unsubscribed: your email address is deleted."), content_type="text/plain; charset=utf-8"
    )


@require_GET
@resident_page
@kept_pages.whole
def findings(request, slug):
    """Public, once staff publish them: the current release, frozen and disclosure-audited
    when it was published; never live counts."""
    try:
        consultation = selectors.consultation_with_options(slug=slug)
    except Consultation.DoesNotExist as missing:
        raise Http404 from missing
    # Its tables are read only when its figures are not kept already (``_findings_tables``).
    release = current_release(consultation, tables=False)
    if not consultation.findings_are_public or release is None:
        raise Http404
    consultation = _in_language(request, consultation)
    dimension = analysis.dimension_for(request.GET.get("by", ""), analysis.PUBLIC_DIMENSIONS)
    context = {
        "consultation": consultation,
        "release": release,
        "downloads": _findings_downloads(consultation, dimension),
        "dimensions": analysis.PUBLIC_DIMENSIONS.values(),
        "dimension": dimension,
        "threshold": release.audit["threshold"],
        # Themes are staff's own codes, and the summary staff's own words: in English in
        # every language, marked so.
        "themes_lang": "" if get_language() == settings.LANGUAGE_CODE else "en",
    }
    results, tables = _findings_tables(context)
    return render(
        request,
        "consultation/findings.html",
        {**context, "results": results, "tables": tables},
    )


def _findings_tables(context: dict):
    """The figures of one grouping, and their charts and tables as HTML (most of the
    page's cost). A release is frozen, so they are kept under it, the grouping, the
    language and the version of the consultation's texts (which name the answer options),
    and never go stale."""
    consultation, release, dimension = (
        context[k] for k in ("consultation", "release", "dimension")
    )

    def render_them():
        results = analysis.published(release_tables(release), dimension, consultation.texts)
        tables = render_to_string(
            "consultation/includes/findings_tables.html", {**context, "results": results}
        )
        return (results, tables), None

    return kept_pages.kept(
        f"findings:{release.pk}:{dimension.key}:{consultation.questions_version}:{get_language()}",
        render_them,
    )[0]


def _findings_downloads(consultation, dimension) -> list[tuple[str, str]]:
    """The files of the published findings, as (label, address): the figures by the
    grouping shown, and their data dictionary."""
    query = urlencode({"by": dimension.key})
    by = {"dimension": dimension.label}
    return [
        (
            _("These figures, by %(dimension)s, as a spreadsheet (CSV)") % by,
            f"{reverse('consultation:findings_figures', args=[consultation.slug])}?{query}",
        ),
        (
            _("Data dictionary for these figures: every column and code (CSV)"),
            f"{reverse('consultation:findings_figures_dictionary', args=[consultation.slug])}"
            f"?{query}",
        ),
    ]


def _public_release(request, slug):
    """The consultation and its current release, if its findings are public; else 404.
    In the languages the consultation is offered in (``resident_page``)."""
    consultation = _in_language(request, get_object_or_404(Consultation, slug=slug))
    release = current_release(consultation)
    if not consultation.findings_are_public or release is None:
        raise Http404
    return consultation, release


@require_GET
@resident_page
def findings_figures(request, slug):
    """Public, with the findings: the figures the findings page shows, by the grouping
    asked for (``?by=``), as CSV: the frozen release, never live counts."""
    consultation, release = _public_release(request, slug)
    return exports.aggregate_download(consultation, release, request.GET.get("by", ""))


@require_GET
@resident_page
def findings_figures_dictionary(request, slug):
    """Public, with the findings: the data dictionary of ``findings_figures``."""
    consultation, release = _public_release(request, slug)
    return exports.aggregate_download(
        consultation, release, request.GET.get("by", ""), dictionary=True
    )
