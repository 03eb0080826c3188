"""Email the consultation sends. Each message to a contact carries its withdrawal link."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from common.links import absolute_url

from .models import Contact


def send_contact_confirmation(*, contact_id: int) -> bool:
    """Confirm a resident's sign-up for news, once. Returns whether an email went.

    The row is claimed before sending, so a task run twice sends once; if the mail server
    fails the claim is released and the error raised, so a retry can send it.
    """
    claimed = Contact.objects.filter(
        pk=contact_id, withdrawn_at__isnull=True, confirmation_sent_on__isnull=True
    ).update(confirmation_sent_on=timezone.localdate())
    if not claimed:
        return False
    contact = Contact.objects.get(pk=contact_id)
    context = {"contact": contact, "withdraw_url": absolute_url(contact.get_withdraw_url())}
    try:
        send_mail(
            subject=render_to_string(
                "consultation/email/contact_confirmation_subject.txt", context
            ).strip(),
            message=render_to_string("consultation/email/contact_confirmation.txt", context),
            from_email=None,
            recipient_list=[contact.email],
        )
    except Exception:
        Contact.objects.filter(pk=contact_id).update(confirmation_sent_on=None)
        raise
    return True
