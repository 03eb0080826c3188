"""A published recommendation's change of status, by email through the outbox, to each
resident who chose to hear of the commission's progress (the news topic with
``PROGRESS_TOPIC`` as its key) and each employer that asked to (from the emails about its
survey), with their own links to change that or stop. One email per address."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.links import absolute_url
from consultation.models import Contact
from employers import emails as employer_emails
from employers.models import Invitation
from notifications import outbox
from notifications.models import Message

from .models import ProgressUpdate, Status

STATUS_CHANGE = "recommendations.status"
STATUS_CHANGE_EMPLOYER = "recommendations.status.employer"
# The residents' news topic this app sends on (created by its migration 0002).
PROGRESS_TOPIC = "recommendation-progress"


def readers() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(contact, address) of each resident who chose the progress topic and has not
    withdrawn, and (invitation, address) of each employer address
    that asked to hear and has not stopped: each address once, a resident's first
    (2 queries)."""
    known = set()

    def once(rows):
        found = []
        for pk, email in rows:
            if email.lower() not in known:
                known.add(email.lower())
                found.append((pk, email))
        return found

    # Only those who chose it: a resident who chose no topic agreed to hear of
    # opportunities (their recorded consent), not of the commission's progress.
    contacts = Contact.objects.filter(
        withdrawn_at__isnull=True, topics__key=PROGRESS_TOPIC
    ).exclude(email="")
    invitations = Invitation.objects.filter(
        hears_of_progress_at__isnull=False, emails_stopped_at__isnull=True
    )
    return (
        once(contacts.values_list("pk", "email").order_by("pk")),
        once(invitations.values_list("pk", "email").order_by("-created_at")),
    )


def post_status_change(update_id: int) -> int:
    """Post the change recorded by progress update ``update_id`` to every reader; posting
    it again sends nothing more (one outbox key per update and contact). Returns how many
    were posted."""
    residents, employers = readers()
    rows = [
        Message(
            key=f"{STATUS_CHANGE}:{update_id}:{contact}",
            topic=STATUS_CHANGE,
            recipient=email,
            params={"update_id": update_id, "contact_id": contact},
        )
        for contact, email in residents
    ] + [
        Message(
            key=f"{STATUS_CHANGE_EMPLOYER}:{update_id}:{invitation}",
            topic=STATUS_CHANGE_EMPLOYER,
            recipient=email,
            params={"update_id": update_id, "invitation_id": invitation},
        )
        for invitation, email in employers
    ]
    outbox.post_all(rows)
    return len(rows)


def _prepare(messages):
    ids = lambda name: {m.params[name] for m in messages if name in m.params}  # noqa: E731
    return {
        "updates": {
            u.pk: u
            for u in ProgressUpdate.objects.filter(pk__in=ids("update_id")).select_related(
                "recommendation"
            )
        },
        "contacts": {c.pk: c for c in Contact.objects.filter(pk__in=ids("contact_id"))},
        "invitations": {i.pk: i for i in Invitation.objects.filter(pk__in=ids("invitation_id"))},
    }


def _render(update, *, why, manage_url, stop_url):
    return outbox.render(
        "recommendations/email/status",
        {
            "update": update,
            "recommendation": update.recommendation,
            "status": Status(update.status_to).label,
            "page_url": absolute_url(update.recommendation.get_absolute_url()),
            "all_url": absolute_url(reverse("recommendations:index")),
            "why": why,
            "manage_url": manage_url,
            "stop_url": stop_url,
        },
        headers=outbox.list_unsubscribe(stop_url),
    )


@outbox.topic(
    STATUS_CHANGE,
    label=gettext_lazy("A recommendation's progress, to a resident"),
    audience="admin",
    prepare=_prepare,
)
def status_email(message, prepared):
    update = prepared["updates"].get(message.params["update_id"])
    contact = prepared["contacts"].get(message.params["contact_id"])
    if contact is None or contact.withdrawn_at or not contact.email:
        return outbox.Skip(_("Withdrawn before this was sent."))
    if update is None or not update.recommendation.is_published:
        return outbox.Skip(_("The recommendation is no longer published."))
    return _render(
        update,
        why=_(
            "You asked the Diversity in Tech commission to tell you of its progress on its "
            "recommendations."
        ),
        manage_url=absolute_url(contact.get_manage_url()),
        stop_url=absolute_url(contact.get_unsubscribe_url()),
    )


@outbox.topic(
    STATUS_CHANGE_EMPLOYER,
    label=gettext_lazy("A recommendation's progress, to an employer"),
    audience="commission",
    prepare=_prepare,
)
def status_email_to_employer(message, prepared):
    update = prepared["updates"].get(message.params["update_id"])
    invitation = prepared["invitations"].get(message.params["invitation_id"])
    if (
        invitation is None
        or invitation.emails_stopped_at is not None
        or invitation.hears_of_progress_at is None
    ):
        return outbox.Skip(_("No longer asks to hear of the recommendations."))
    if update is None or not update.recommendation.is_published:
        return outbox.Skip(_("The recommendation is no longer published."))
    emails_url = absolute_url(
        reverse("employers:stop_emails", args=[employer_emails.stop_token(invitation)])
    )
    return _render(
        update,
        why=_(
            "You asked the Diversity in Tech commission, after its employer survey, to tell "
            "you of its progress on its recommendations."
        ),
        manage_url=emails_url,
        # Unsubscribing from these stops these, not the survey's other emails.
        stop_url=f"{emails_url}?only=progress",
    )
