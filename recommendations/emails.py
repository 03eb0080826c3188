"""A published recommendation's change of status, by email through the outbox, to each
resident who chose to hear of the commission's progress (the news topic with
``PROGRESS_TOPIC`` as its key), with their own links to change that or stop."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.links import absolute_url
from consultation.models import Contact
from notifications import outbox
from notifications.models import Message

from .models import ProgressUpdate, Status

STATUS_CHANGE = "recommendations.status"
# The residents' news topic this app sends on (created by its migration 0002).
PROGRESS_TOPIC = "recommendation-progress"


def readers():
    """(contact, address) of each resident who chose the progress topic and has not
    withdrawn, each address once (1 query)."""
    known, found = set(), []
    contacts = Contact.objects.filter(
        withdrawn_at__isnull=True, topics__key=PROGRESS_TOPIC
    ).exclude(email="")
    for pk, email in contacts.values_list("pk", "email").order_by("pk"):
        if email.lower() not in known:
            known.add(email.lower())
            found.append((pk, email))
    return found


def post_status_change(update_id: int) -> int:
    """Post the change recorded by progress update ``update_id`` to every reader; posting
    it again sends nothing more (one outbox key per update and contact). Returns how many
    were posted."""
    rows = [
        Message(
            key=f"{STATUS_CHANGE}:{update_id}:{contact}",
            topic=STATUS_CHANGE,
            recipient=email,
            params={"update_id": update_id, "contact_id": contact},
        )
        for contact, email in readers()
    ]
    outbox.post_all(rows)
    return len(rows)


def _prepare(messages):
    ids = lambda name: {m.params[name] for m in messages}  # noqa: E731
    return {
        "updates": {
            u.pk: u
            for u in ProgressUpdate.objects.filter(pk__in=ids("update_id")).select_related(
                "recommendation"
            )
        },
        "contacts": {c.pk: c for c in Contact.objects.filter(pk__in=ids("contact_id"))},
    }


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
    stop_url = absolute_url(contact.get_unsubscribe_url())
    return outbox.render(
        "recommendations/email/status",
        {
            "update": update,
            "recommendation": update.recommendation,
            "status": Status(update.status_to).label,
            "page_url": absolute_url(update.recommendation.get_absolute_url()),
            "all_url": absolute_url(reverse("recommendations:index")),
            "manage_url": absolute_url(contact.get_manage_url()),
            "stop_url": stop_url,
        },
        headers=outbox.list_unsubscribe(stop_url),
    )
