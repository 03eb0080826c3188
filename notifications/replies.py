"""Replies to an invitation without an account: each invitation carries links, signed and
bound to one person and one occurrence, that open a page where they confirm their answer.
Only that page's POST records it, so a mail scanner that fetches every link in an email
never answers for anyone. A link works until the occurrence ends, and only while its person
is still invited; the occurrence's kind records the answer (``Source.reply``)."""

from dataclasses import dataclass

from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.links import absolute_url

# Tells these signatures apart from any other the portal makes with the same key.
SALT = "notifications.reply"


class Answer(models.TextChoices):
    YES = "yes", _("Yes, I will come")
    NO = "no", _("No, I cannot come")
    MAYBE = "maybe", _("Maybe")


@dataclass(frozen=True)
class Invited:
    """Whom a reply link speaks for, and about what."""

    kind: str
    pk: int
    email: str


def token_for(kind: str, pk: int, email: str) -> str:
    return signing.dumps([kind, pk, email.lower()], salt=SALT, compress=True)


def read(token: str) -> Invited | None:
    """Whom and what ``token`` is for, or None if it is not one the portal signed."""
    try:
        kind, pk, email = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(kind, str) and isinstance(pk, int) and isinstance(email, str)):
        return None
    return Invited(kind, pk, email)


def links(kind: str, pk: int, email: str) -> list[tuple[str, str]]:
    """(answer's words, address) for each answer, for an email to ``email``."""
    token = token_for(kind, pk, email)
    return [
        (label, absolute_url(reverse("reply", args=[token, answer])))
        for answer, label in Answer.choices
    ]
