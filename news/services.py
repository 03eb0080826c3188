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


def opportunity_save(
    *, opportunity: Opportunity | None = None, topics=None, created_by=None, **fields
):
    """Write an opportunity, or change one not yet sent."""
    check_editable(fields, FIELDS)
    if (
        opportunity is not None
        and Opportunity.objects.filter(pk=opportunity.pk, sent_at__isnull=False).exists()
    ):
        raise AlreadySent(_("This opportunity has been sent: it can no longer change."))
    opportunity = opportunity or Opportunity(created_by=created_by)
    for name, value in fields.items():
        setattr(opportunity, name, value)
    opportunity.full_clean()
    with transaction.atomic():
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
