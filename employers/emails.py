from django.utils import timezone

from common.links import absolute_url
from notifications.notify import send_once

from .models import Invitation


def send_invitation(*, invitation_id: int) -> bool:
    """Email an invitation link, once per link. The send is claimed in the database before
    the mail goes (``send_once``), so a task run twice, or redelivered after a worker died
    (the task acks late), sends one email. Re-sending gives the invitation a new link, and
    so a new key: a deliberate re-send is not mistaken for a repeat."""
    invitation = Invitation.objects.select_related("survey", "employer").get(pk=invitation_id)
    context = {
        "invitation": invitation,
        "link": absolute_url(invitation.get_absolute_url()),
    }
    sent = send_once(
        # The token's hash, not the token: the key is stored and shown in the admin.
        key=f"employers.invitation:{invitation.pk}:{invitation.token_hash}",
        to=invitation.email,
        template="employers/email/invitation",
        context=context,
    )
    if sent:
        Invitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now())
    return sent
