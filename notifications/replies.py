"""Replies to an invitation without an account: each invitation carries links, signed and
bound to its email (so to one person and one occurrence), that open a page where they
confirm their answer.
Only that page's POST records it, so a mail scanner that fetches every link in an email
never answers for anyone. A link works until the occurrence ends, and only while its person
is still invited; the occurrence's kind records the answer (``Source.reply``)."""

from dataclasses import dataclass

from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.links import absolute_url

from .models import Message

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


def token_for(message: Message) -> str:
    """The signed reply token of the email ``message`` (an invitation or a change): it
    names the message, whose recipient and occurrence it speaks for, and so carries no
    address of its own (links end up in browser histories and proxies' logs)."""
    return signing.dumps(message.pk, salt=SALT)


def read(token: str) -> Invited | None:
    """Whom and what ``token`` is for, or None if it is not one the portal signed, or its
    message's address has since been erased."""
    try:
        pk = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int):
        return None
    message = (
        Message.objects.filter(pk=pk, about_id__isnull=False)
        .exclude(recipient="")
        .values_list("about_kind", "about_id", "recipient")
        .first()
    )
    return Invited(*message) if message else None


def links(message: Message) -> list[tuple[str, str]]:
    """(answer's words, address) for each answer, for the email ``message``."""
    token = token_for(message)
    return [
        (label, absolute_url(reverse("reply", args=[token, answer])))
        for answer, label in Answer.choices
    ]
