"""Writes that belong to the portal as a whole: accounts and roles."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.db import transaction

from .models import User, new_access_stamp


def user_create_verified(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    groups: tuple[str, ...] = (),
    is_superuser: bool = False,
) -> User:
    """Create (or reset) an account whose email address is already verified. With no
    password the account cannot sign in with one (until it is reset)."""
    with transaction.atomic():
        user, _ = User.objects.get_or_create(email=email.lower())
        user.full_name = full_name
        user.is_superuser = user.is_staff = is_superuser
        user.set_password(password)
        user.full_clean()
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return user


def user_reset_mfa(*, user: User) -> tuple[str, list[str]]:
    """Replace the user's authenticators with a new TOTP secret and recovery codes.

    Returns the secret (to add to an authenticator app) and the unused recovery codes.
    """
    with transaction.atomic():
        Authenticator.objects.filter(user=user).delete()
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes


def access_changed(users) -> str:
    """Give the accounts of ``users`` (a queryset) a new access stamp, so no process uses
    what it kept of their groups, permissions or second factor before (``User.access``).
    Called for every such change, in its transaction (``accounts.signals``); returns the
    stamp."""
    stamp = new_access_stamp()
    users.update(access_stamp=stamp)
    return stamp
