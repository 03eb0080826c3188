"""A resident's answers in progress, kept in their session until they send them.

Nothing is written to the database until the resident sends their answers from the
check-your-answers page; until then they can move between pages and change anything.
"""

import uuid

from .forms import STEPS


class Draft:
    def __init__(self, session, consultation):
        self.session = session
        self.key = f"consultation-draft:{consultation.pk}"
        self.done_key = f"consultation-done:{consultation.pk}"

    @property
    def _data(self) -> dict:
        return self.session.get(self.key) or {}

    def answers(self) -> dict:
        return dict(self._data.get("answers", {}))

    def completed_steps(self) -> set[str]:
        return set(self._data.get("completed", []))

    def submission_key(self) -> uuid.UUID:
        """One key per draft: sending the same draft twice makes one response."""
        data = self._data
        if "submission_key" not in data:
            data = {**data, "submission_key": str(uuid.uuid4())}
            self.session[self.key] = data
        return uuid.UUID(data["submission_key"])

    def save_step(self, slug: str, cleaned: dict) -> None:
        data = self._data
        answers = {**data.get("answers", {}), **cleaned}
        answers.pop("website", None)
        completed = sorted({*data.get("completed", []), slug})
        self.session[self.key] = {**data, "answers": answers, "completed": completed}
        self.submission_key()

    def first_incomplete_step(self):
        done = self.completed_steps()
        return next((step for step in STEPS if step.slug not in done), None)

    def finish(self, reference: str) -> None:
        self.session.pop(self.key, None)
        self.session[self.done_key] = reference

    def finished_reference(self) -> str | None:
        return self.session.get(self.done_key)
