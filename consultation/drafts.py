"""A resident's answers in progress, kept in their session until they send them.

Nothing is written to the database until the resident sends their answers from the
check-your-answers page; until then they can move between pages and change anything.

A session can also hold a signed-in person's account, so it holds answers only as long as
it must: the draft goes when the answers are sent or someone signs in or out, and the
reference goes once the confirmation page has shown it.
"""

import uuid

from django import forms

from .forms import STEPS
from .models import Version

DRAFT_PREFIX = "consultation-draft:"
DONE_PREFIX = "consultation-done:"


def clear_all(session) -> None:
    """Forget every consultation draft and reference the session holds."""
    # A session has keys() but is not iterable itself.
    keys = list(session.keys())
    for key in [k for k in keys if k.startswith((DRAFT_PREFIX, DONE_PREFIX))]:
        del session[key]


class Draft:
    def __init__(self, session, consultation):
        self.session = session
        self.key = f"{DRAFT_PREFIX}{consultation.pk}"
        self.done_key = f"{DONE_PREFIX}{consultation.pk}"

    @property
    def _data(self) -> dict:
        return self.session.get(self.key) or {}

    def answers(self) -> dict:
        return dict(self._data.get("answers", {}))

    def version(self) -> str:
        """The version of the questionnaire the resident is answering (``Version``)."""
        return self._data.get("version", Version.STANDARD)

    def set_version(self, version: str) -> None:
        self.session[self.key] = {**self._data, "version": version}

    def completed_steps(self) -> set[str]:
        return set(self._data.get("completed", []))

    def submission_key(self) -> uuid.UUID:
        """One key per draft: sending the same draft twice makes one response."""
        data = self._data
        if "submission_key" not in data:
            data = {**data, "submission_key": str(uuid.uuid4())}
            self.session[self.key] = data
        return uuid.UUID(data["submission_key"])

    def holds(self, key: str) -> bool:
        """Whether ``key`` is the submission key this draft was given."""
        return key == self._data.get("submission_key")

    def save_step(self, slug: str, cleaned: dict) -> None:
        data = self._data
        answers = {**data.get("answers", {}), **cleaned}
        answers.pop("website", None)
        completed = sorted({*data.get("completed", []), slug})
        typed = {k: v for k, v in data.get("typed", {}).items() if k != slug}
        self.session[self.key] = {
            **data,
            "answers": answers,
            "completed": completed,
            "typed": typed,
        }
        self.submission_key()

    def save_typed(self, slug: str, form: forms.Form) -> None:
        """Keep what was typed on a page that did not pass its checks, exactly as typed, so
        leaving the page (by its Back link) and returning loses nothing. The page counts as
        not done until it passes, so its answers cannot be sent meanwhile."""
        data = self._data
        typed = {
            name: (
                form.data.getlist(name)
                if isinstance(field, forms.MultipleChoiceField)
                else form.data.get(name, "")
            )
            for name, field in form.fields.items()
            if name != "website"
        }
        completed = sorted(set(data.get("completed", [])) - {slug})
        self.session[self.key] = {
            **data,
            "completed": completed,
            "typed": {**data.get("typed", {}), slug: typed},
        }

    def initial(self, slug: str) -> dict:
        """What to fill a page with: the saved answers, or what was last typed on it."""
        return {**self.answers(), **self._data.get("typed", {}).get(slug, {})}

    def first_incomplete_step(self):
        done = self.completed_steps()
        return next((step for step in STEPS if step.slug not in done), None)

    def finish(self, reference: str) -> None:
        self.session.pop(self.key, None)
        self.session[self.done_key] = reference

    def take_finished_reference(self) -> str | None:
        """The reference of the answers just sent, once: after the confirmation page has
        shown it, the session no longer links to the response."""
        return self.session.pop(self.done_key, None)


def forget_on_sign_in(sender, request, user, **kwargs):
    """Receiver of ``user_logged_in``: answers typed before signing in must not end up in
    a session that names the account. (Signing out needs no receiver: Django empties the
    whole session then.)"""
    if request is not None:
        clear_all(request.session)
