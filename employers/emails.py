from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Invitation


def send_invitation(*, invitation_id: int) -> bool:
    """Email an invitation link. Staff may send it again on purpose, so each send is
    recorded rather than refused; a task retried after the mail server failed sends it
    once, because ``sent_at`` moves on only after the mail server took it."""
    invitation = Invitation.objects.select_related("survey", "employer").get(pk=invitation_id)
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL.rstrip("/") + invitation.get_absolute_url(),
    }
    send_mail(
        subject=render_to_string("employers/email/invitation_subject.txt", context).strip(),
        message=render_to_string("employers/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    Invitation.objects.filter(pk=invitation_id).update(sent_at=timezone.now())
    return True
