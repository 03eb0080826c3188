"""Every write to opportunities: writing one, testing it, and sending it, once."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import check_editable
from notifications import outbox

from . import emails, selectors
from .models import Opportunity

FIELDS = ("title", "text", "link", "closes_on", "to_residents", "to_members")


class AlreadySent(Exception):
    pass


AUDIENCES = {"to_residents": "news.send_to_residents", "to_members": "news.send_to_members"}


def _check_audiences(opportunity: Opportunity, user) -> None:
    """Refuse an audience ``user`` may not write to: residents agreed to hear from the
    commission, members asked for the network's news. No user: the portal itself."""
    if user is None:
        return
    refused = [
        field
        for field, perm in AUDIENCES.items()
        if getattr(opportunity, field) and not user.has_perm(perm)
    ]
    if refused:
        raise ValidationError(
            {field: _("You cannot send opportunities to this audience.") for field in refused}
        )


def opportunity_save(
    *, opportunity: Opportunity | None = None, topics=None, created_by=None, **fields
):
    """Write an opportunity, or change one not yet sent, to audiences ``created_by`` (who
    writes or changes it) may write to. A change waits for a send under way and is then
    refused, rather than writing the draft back over it."""
    check_editable(fields, FIELDS)
    with transaction.atomic():
        if opportunity is not None:
            stored = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
            if stored.sent_at is not None:
                raise AlreadySent(_("This opportunity has been sent: it can no longer change."))
            opportunity = stored
        else:
            opportunity = Opportunity(created_by=created_by)
        for name, value in fields.items():
            setattr(opportunity, name, value)
        opportunity.full_clean()
        _check_audiences(opportunity, created_by)
        opportunity.save()
        if topics is not None:
            opportunity.topics.set(topics)
    return opportunity


def opportunity_send_test(*, opportunity: Opportunity, to: str) -> None:
    """Email the residents' version to ``to`` (the staff member looking at it)."""
    emails.post_test(opportunity, to=to, stamp=uuid.uuid4().hex)


def opportunity_send(*, opportunity: Opportunity, sent_by) -> Opportunity:
    """Send the opportunity, once, to everyone it reaches now (``selectors.reach``): one
    outbox row each, written with the opportunity marked sent in one transaction, then
    handed to workers a hundred at a time. Asking twice sends nothing more."""
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.sent_at is not None:
            raise AlreadySent(_("This opportunity has already been sent."))
        _check_audiences(locked, sent_by)
        reach = selectors.reach(locked)
        if not reach.total:
            raise ValidationError(_("Nobody would receive it: no one has asked for this news yet."))
        rows = [
            emails.message_for(locked, resident=pk, email=email) for pk, email in reach.residents
        ]
        rows += [emails.message_for(locked, member=pk, email=email) for pk, email in reach.members]
        outbox.post_all(rows)
        locked.sent_at, locked.sent_by = timezone.now(), sent_by
        locked.reach_residents, locked.reach_members = len(reach.residents), len(reach.members)
        locked.save(update_fields=["sent_at", "sent_by", "reach_residents", "reach_members"])
    return locked
