"""An opportunity's emails, through the outbox: one to each resident and member it is sent
to, each with their own link to change what they hear about or stop it (also in the
List-Unsubscribe headers, for the mail program's own button), and a test to staff."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.links import absolute_url
from consultation.models import Contact
from network import news as network_news
from network.models import Membership, MembershipStatus
from notifications import outbox
from notifications.models import Message

from .models import Opportunity

# Residents' addresses are seen only by admins (as everywhere); members' by coordinators.
RESIDENT, MEMBER, TEST = "news.resident", "news.member", "news.test"


def message_for(opportunity: Opportunity, *, resident=None, member=None, email: str):
    """The outbox row of ``opportunity`` for one contact (``resident``) or one membership
    (``member``): ``contact_id`` among its parameters, so the contact's withdrawal forgets
    it too."""
    if resident is not None:
        key, topic, params = (
            f"{RESIDENT}:{opportunity.pk}:{resident}",
            RESIDENT,
            {"contact_id": resident},
        )
    else:
        key, topic, params = (
            f"{MEMBER}:{opportunity.pk}:{member}",
            MEMBER,
            {"membership_id": member},
        )
    return Message(
        key=key, topic=topic, recipient=email, params={"opportunity_id": opportunity.pk, **params}
    )


def post_test(opportunity: Opportunity, *, to: str, stamp: str) -> None:
    """A test of the residents' email, to the staff member who asked."""
    outbox.post(
        TEST,
        key=f"{TEST}:{opportunity.pk}:{stamp}",
        to=to,
        params={"opportunity_id": opportunity.pk},
    )


def _prepare(messages):
    """The batch's opportunities, contacts and members, read once."""
    ids = lambda name: {m.params[name] for m in messages if name in m.params}  # noqa: E731
    return {
        "opportunities": {
            o.pk: o
            for o in Opportunity.objects.filter(pk__in=ids("opportunity_id")).prefetch_related(
                "topics"
            )
        },
        "contacts": {
            c.pk: c
            for c in Contact.objects.filter(pk__in=ids("contact_id")).prefetch_related("topics")
        },
        "members": {
            m.pk: m
            for m in Membership.objects.filter(pk__in=ids("membership_id")).select_related("user")
        },
    }


def _render(opportunity, *, why, manage_url, stop_url, test=False):
    return outbox.render(
        "news/email/opportunity",
        {
            "opportunity": opportunity,
            "why": why,
            "manage_url": manage_url,
            "stop_url": stop_url,
            "archive_url": absolute_url(reverse("news:archive")),
            "test": test,
        },
        headers=outbox.list_unsubscribe(stop_url) if not test else None,
    )


@outbox.topic(
    RESIDENT, label=gettext_lazy("Opportunity, to a resident"), audience="admin", prepare=_prepare
)
def resident_email(message, prepared):
    opportunity = prepared["opportunities"].get(message.params["opportunity_id"])
    contact = prepared["contacts"].get(message.params["contact_id"])
    if opportunity is None or contact is None or contact.withdrawn_at or not contact.email:
        return outbox.Skip(_("Withdrawn before this was sent."))
    chosen = [t.name for t in contact.topics.all()]
    why = (
        _("You asked the Diversity in Tech commission for news about: %(topics)s.")
        % {"topics": ", ".join(chosen)}
        if chosen
        else _("You asked the Diversity in Tech commission for news of digital tech opportunities.")
    )
    return _render(
        opportunity,
        why=why,
        manage_url=absolute_url(contact.get_manage_url()),
        stop_url=absolute_url(contact.get_unsubscribe_url()),
    )


@outbox.topic(
    MEMBER, label=gettext_lazy("Opportunity, to a member"), audience="network", prepare=_prepare
)
def member_email(message, prepared):
    opportunity = prepared["opportunities"].get(message.params["opportunity_id"])
    membership = prepared["members"].get(message.params["membership_id"])
    if (
        opportunity is None
        or membership is None
        or membership.user is None
        or membership.status != MembershipStatus.APPROVED
        or not membership.receives_optional_email
    ):
        return outbox.Skip(_("No longer asks for the network's news."))
    return _render(
        opportunity,
        why=_("You asked the Women's Digital Leaders Network for its news."),
        manage_url=absolute_url(reverse("network:profile")),
        stop_url=absolute_url(
            reverse("network:stop_news", args=[network_news.stop_token(membership)])
        ),
    )


def preview(opportunity: Opportunity) -> outbox.Email:
    """The email as a resident who chose everything would read it, their own links shown
    as such, for staff to check before sending."""
    theirs = _("(their own link)")
    return _render(
        opportunity,
        why=_("You asked the Diversity in Tech commission for news of digital tech opportunities."),
        manage_url=theirs,
        stop_url=theirs,
        test=False,
    )


@outbox.topic(TEST, label=gettext_lazy("Opportunity, a test to staff"), audience="commission")
def test_email(message, prepared):
    opportunity = Opportunity.objects.filter(pk=message.params["opportunity_id"]).first()
    if opportunity is None:
        return outbox.Skip(_("The opportunity was deleted."))
    archive = absolute_url(reverse("news:archive"))
    return _render(
        opportunity,
        why=_("You asked the Diversity in Tech commission for news of digital tech opportunities."),
        manage_url=archive,
        stop_url=archive,
        test=True,
    )
