"""The employer survey's email: the invitation link, through the outbox."""

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.links import absolute_url
from notifications import outbox

from .models import Invitation, Survey

INVITATION = "employers.invitation"
FINDINGS, FINDINGS_TEST = "employers.findings", "employers.findings_test"
STOP_SALT = "employers.stop-emails"


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


def stop_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=STOP_SALT)


def invitation_of_stop_token(token: str) -> Invitation | None:
    """The invitation a "stop these emails" link was made for, or None."""
    try:
        pk = signing.loads(token, salt=STOP_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Invitation.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def post_findings(invitation: Invitation, *, release_number: int) -> None:
    """Tell an organisation that took part that a release of the findings is published."""
    outbox.post(
        FINDINGS,
        key=f"{FINDINGS}:{invitation.survey_id}:{release_number}:{invitation.employer_id}",
        to=invitation.email,
        params={"invitation_id": invitation.pk, "release": release_number},
    )


def post_findings_test(survey, *, to: str, stamp: str) -> None:
    outbox.post(
        FINDINGS_TEST,
        key=f"{FINDINGS_TEST}:{survey.pk}:{stamp}",
        to=to,
        params={"survey_id": survey.pk},
    )


def _findings(survey, *, organisation: str, stop_url: str, test: bool = False):
    return outbox.render(
        "employers/email/findings",
        {
            "survey": survey,
            "organisation": organisation,
            "findings_url": absolute_url(reverse("employers:findings", args=[survey.slug])),
            "stop_url": stop_url,
            "test": test,
        },
        headers=None if test else outbox.list_unsubscribe(stop_url),
    )


@outbox.topic(
    FINDINGS, label=gettext_lazy("Employer survey findings published"), audience="commission"
)
def findings_email(message, prepared):
    invitation = (
        Invitation.objects.select_related("survey", "employer")
        .filter(pk=message.params["invitation_id"])
        .first()
    )
    if invitation is None or invitation.emails_stopped_at is not None:
        return outbox.Skip(_("Asked for no more emails about the survey."))
    if not invitation.survey.findings_are_public:
        return outbox.Skip(_("The findings were taken down before this was sent."))
    return _findings(
        invitation.survey,
        organisation=invitation.employer.name,
        stop_url=absolute_url(reverse("employers:stop_emails", args=[stop_token(invitation)])),
    )


@outbox.topic(
    FINDINGS_TEST, label=gettext_lazy("Employer survey findings, a test"), audience="commission"
)
def findings_test_email(message, prepared):
    survey = Survey.objects.filter(pk=message.params["survey_id"]).first()
    if survey is None:
        return outbox.Skip(_("The survey was deleted."))
    return _findings(
        survey, organisation=_("(the organisation)"), stop_url=absolute_url("/"), test=True
    )
