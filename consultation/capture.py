"""Answers captured at a community event on a tablet with no connection, as the tablet
sends them later: reading and checking a batch (validation only; ``services.event_sync``
saves it).

A batch is JSON: ``{"sealed": [sealed response]}``, each sealed on the tablet for the
portal alone (``sealing``) and named by the id the tablet made for it. Opened, each is
``{"event": name, "response": {"id": the same id, "given_at": ISO 8601 time, "language":
code, "version": "standard" | "easy_read", "answers": {question: answer}}}``. Each
response's answers pass the same checks as the questionnaire online (its pages' forms),
but for the page of contact details, which the tablet does not ask: an email address has
no place on a shared device.
"""

import datetime
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.templatetags.static import static
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from . import sealing
from .forms import STEPS, OptionQuestionForm, area_choices, option_choices
from .models import Consultation, OptionKind, Version, portal_languages

# A tablet sends what it holds; a day at a busy stand is a few hundred answers.
MAX_RESPONSES = 500
# The pages the tablet asks: every page but the contact details.
CAPTURED_STEPS = [step for step in STEPS if step.slug != "contact"]


class BatchRefused(ValueError):
    """The batch cannot be taken as it is; nothing of it is saved. ``problems`` names
    each response (by its id) or part of the batch that is wrong."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Captured:
    """One checked response of a batch, with the event it was given at."""

    id: uuid.UUID
    event: str
    given_at: datetime.datetime
    language: str
    version: str
    answers: dict


def read_batch(body: bytes, consultation: Consultation) -> list[Captured]:
    """The checked responses of a batch, opened, or ``BatchRefused``."""
    try:
        batch = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BatchRefused({"batch": [_("Not JSON.")]}) from None
    if not isinstance(batch, dict) or not isinstance(batch.get("sealed"), list):
        raise BatchRefused({"batch": [_("Expected an object with a list of sealed responses.")]})
    entries = batch["sealed"]
    if not 0 < len(entries) <= MAX_RESPONSES:
        raise BatchRefused(
            {"sealed": [_("Send between 1 and %(max)d responses.") % {"max": MAX_RESPONSES}]}
        )
    problems, read, seen = {}, [], set()
    lists = _Lists(consultation)
    for n, entry in enumerate(entries):
        label = str(entry.get("id")) if isinstance(entry, dict) else f"#{n}"
        found, errors = _read_one(entry, consultation, lists)
        if found is not None and found.id in seen:
            errors = [_("Sent twice in this batch.")]
        if errors:
            problems[label] = errors
        else:
            seen.add(found.id)
            read.append(found)
    if problems:
        raise BatchRefused(problems)
    return read


class _Lists:
    """The answer lists and wards a batch's responses are checked against, read once for
    the batch rather than by each response's forms."""

    def __init__(self, consultation: Consultation):
        self.options = {kind: option_choices(consultation, kind) for kind in OptionKind.values}
        self.areas = area_choices()

    def give(self, form) -> None:
        if isinstance(form, OptionQuestionForm):
            form.fields[form.field].choices = self.options[form.kind]
        if "area" in form.fields:
            form.fields["area"].choices = self.areas


def _read_one(
    sealed, consultation: Consultation, lists: _Lists
) -> tuple[Captured | None, list[str]]:
    if not isinstance(sealed, dict):
        return None, [_("Expected an object.")]
    try:
        key = uuid.UUID(str(sealed.get("id")))
    except ValueError:
        return None, [_("Its id is not a UUID.")]
    try:
        opened = sealing.open_sealed(sealed)
    except sealing.CannotOpen:
        return None, [
            _(
                "It does not open with the portal's key: changed on the way, or sealed "
                "for another portal."
            )
        ]
    entry = opened.get("response") if isinstance(opened, dict) else None
    if not isinstance(entry, dict) or entry.get("id") != str(sealed["id"]):
        return None, [_("What it holds is not this response.")]
    event = opened.get("event")
    if not isinstance(event, str) or not event.strip() or len(event) > 200:
        return None, [_("Name the event, in at most 200 characters.")]
    given_at = parse_datetime(str(entry.get("given_at", ""))) if entry.get("given_at") else None
    if given_at is None or timezone.is_naive(given_at):
        return None, [_("Its time is not an ISO 8601 time with its offset.")]
    errors = []
    if not consultation.opens_at <= given_at <= min(consultation.closes_at, timezone.now()):
        errors.append(_("Its time is not while the consultation was open."))
    language = entry.get("language", "")
    if language not in dict(portal_languages()):
        errors.append(_("Its language is not one the portal offers."))
    version = entry.get("version", "")
    if version not in Version.values:
        errors.append(_("Its version is neither standard nor Easy Read."))
    answers = entry.get("answers")
    if not isinstance(answers, dict):
        return None, [*errors, _("Its answers are not an object.")]
    cleaned = {}
    for step in CAPTURED_STEPS:
        form = step.form_class(_as_form_data(answers), consultation=consultation)
        lists.give(form)
        if not form.is_valid():
            errors += [
                f"{name}: {message}" for name, found in form.errors.items() for message in found
            ]
        else:
            cleaned.update({k: v for k, v in form.cleaned_data.items() if k != "website"})
    unknown = set(answers) - {
        name for step in CAPTURED_STEPS for name in step.form_class.base_fields
    }
    if unknown:
        errors.append(_("Unknown questions: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if errors:
        return None, errors
    return Captured(key, event.strip(), given_at, language, version, cleaned), []


def _as_form_data(answers: dict) -> QueryDict:
    """The answers as a form would post them: a list for "tick all that apply"."""
    data = QueryDict(mutable=True)
    for name, value in answers.items():
        values = value if isinstance(value, list) else [value]
        data.setlist(str(name), [str(v) for v in values if isinstance(v, str | int)])
    return data


def rules(form) -> list[dict]:
    """What the browser checks on a page of ``form`` before moving on: each question that
    must be answered (by one of ``fields``), with the message the page online gives."""
    found = []
    if getattr(form, "required_message", None):
        found.append(
            {"fields": [form.field, form.other_field], "message": str(form.required_message)}
        )
    for name, field in form.fields.items():
        if field.required and name != "website":
            found.append({"fields": [name], "message": str(field.error_messages["required"])})
    return found


def messages() -> dict[str, str]:
    """What the capture page says as it works (its script shows them)."""
    return {
        "pinRules": _("Choose a PIN of at least 6 digits, and type it twice the same."),
        "eventMissing": _("Enter the name of the event."),
        "wrongPin": _("That PIN does not unlock this tablet."),
        "nothing": _("No answers are waiting to be sent."),
        "sending": _("Sending…"),
        "sent": _("Sent: %(n)s answers are saved in the portal."),
        "offline": _("No connection: the answers wait on this tablet. Try again when online."),
        "signIn": _(
            "Sign in again (in another tab) to send: the answers wait on this tablet until then."
        ),
        "refused": _(
            "%(n)s answers the portal would not take are kept aside on this tablet, still "
            "encrypted: ask the portal's administrator."
        ),
    }


def assets() -> list[str]:
    """The static files the capture page needs, for its service worker to keep: by their
    addresses as the page asks for them (hashed in production), and the GOV.UK Frontend
    script by the plain address ``portal.js`` imports it from."""
    names = [
        "vendor/govuk-frontend-6.6.0/govuk-frontend.min.css",
        "vendor/govuk-frontend-6.6.0/govuk-frontend.min.js",
        "css/portal.css",
        "js/portal.js",
        "js/capture.js",
        "images/favicon.svg",
        "vendor/fontsource-noto-sans-hebrew-5.3.0/noto-sans-hebrew-hebrew-400-normal.woff2",
        "vendor/fontsource-noto-sans-hebrew-5.3.0/noto-sans-hebrew-hebrew-700-normal.woff2",
        "vendor/fontsource-noto-sans-bengali-5.3.0/noto-sans-bengali-bengali-400-normal.woff2",
        "vendor/fontsource-noto-sans-bengali-5.3.0/noto-sans-bengali-bengali-700-normal.woff2",
    ]
    plain = f"{settings.STATIC_URL}vendor/govuk-frontend-6.6.0/govuk-frontend.min.js"
    return list(dict.fromkeys([*(static(name) for name in names), plain]))
