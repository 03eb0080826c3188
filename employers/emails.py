"""The employer survey's email: the invitation link, through the outbox."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.links import absolute_url
from notifications import outbox

from .models import Invitation

INVITATION = "employers.invitation"


def post_invitation(invitation: Invitation) -> None:
    """Send the invitation's link, once per link, after the caller's transaction commits.
    Re-sending gives the invitation a new link, and so a new key: a deliberate re-send is
    not mistaken for a repeat."""
    outbox.post(
        INVITATION,
        # The token's hash, not the token: the key is stored and shown in the admin.
        key=f"{INVITATION}:{invitation.pk}:{invitation.token_hash}",
        to=invitation.email,
        params={"invitation_id": invitation.pk, "token_hash": invitation.token_hash},
    )


def _invitation(pk: int, token_hash: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("survey", "employer")
        .filter(pk=pk, token_hash=token_hash)
        .first()
    )


def _invitation_sent(message) -> None:
    Invitation.objects.filter(pk=message.params["invitation_id"]).update(sent_at=timezone.now())


@outbox.topic(
    INVITATION,
    label=gettext_lazy("Employer survey invitation"),
    audience="commission",
    sent=_invitation_sent,
)
def invitation_email(message, prepared):
    invitation = _invitation(message.params["invitation_id"], message.params["token_hash"])
    if invitation is None:
        return outbox.Skip(_("The link was replaced or the invitation deleted."))
    return outbox.render(
        "employers/email/invitation",
        {"invitation": invitation, "link": absolute_url(invitation.get_absolute_url())},
    )
