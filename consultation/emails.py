"""Email the consultation sends, through the outbox. Each message to a contact carries its
withdrawal link, and ``contact_id`` among its parameters, by which every message to a
contact, whoever sent it, is forgotten when the contact goes."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.links import absolute_url
from notifications import outbox

from .models import Contact

CONFIRMATION = "consultation.contact_confirmation"


def _key(contact_id: int) -> str:
    return f"{CONFIRMATION}:{contact_id}"


def post_contact_confirmation(contact: Contact) -> None:
    """Confirm a resident's sign-up for news, once, after the caller's transaction commits."""
    outbox.post(
        CONFIRMATION,
        key=_key(contact.pk),
        to=contact.email,
        params={"contact_id": contact.pk},
    )


def forget_contacts(contact_ids, *, reason: str) -> None:
    """The outbox keeps no address of a contact withdrawn or past its time to be kept:
    not in their confirmation, nor in any news sent them."""
    outbox.forget_matching(Q(params__contact_id__in=list(contact_ids)), reason=reason)


def _confirmation_sent(message) -> None:
    Contact.objects.filter(pk=message.params["contact_id"]).update(
        confirmation_sent_on=timezone.localdate()
    )


@outbox.topic(
    CONFIRMATION,
    label=gettext_lazy("Consultation news sign-up"),
    audience="admin",
    sent=_confirmation_sent,
)
def contact_confirmation_email(message, prepared):
    contact = Contact.objects.filter(
        pk=message.params["contact_id"], withdrawn_at__isnull=True
    ).first()
    if contact is None:
        return outbox.Skip(_("Withdrawn before this was sent."))
    return outbox.render(
        "consultation/email/contact_confirmation",
        {
            "contact": contact,
            "topics": [t.name for t in contact.topics.all()],
            "manage_url": absolute_url(contact.get_manage_url()),
            "withdraw_url": absolute_url(contact.get_withdraw_url()),
        },
        headers=outbox.list_unsubscribe(absolute_url(contact.get_unsubscribe_url())),
    )
