"""The network's news for members who asked for it: the signed link in each such email
that stops it, from a mail program's one-click unsubscribe or the page it opens."""

from django.core import signing

from .models import Membership

SALT = "network.news"


def stop_token(membership: Membership) -> str:
    return signing.dumps(membership.pk, salt=SALT)


def membership_of(token: str) -> Membership | None:
    """The member a stop link was made for, or None if it is not one the portal signed."""
    try:
        pk = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int):
        return None
    return Membership.objects.filter(pk=pk).select_related("user").first()
