"""Demo accounts for every signed-in role, for trying the portal (``seed_demo``)."""

import secrets

from . import roles
from .models import User
from .services import user_create_verified, user_reset_mfa

DEMO_ACCOUNTS = [
    # (role, email, name, groups, superuser, with MFA)
    ("admin", "admin@example.org", "Ada Admin", (), True, True),
    ("commission staff", "staff@example.org", "Sam Staff", (roles.COMMISSION_STAFF,), False, True),
    (
        "network coordinator",
        "coordinator@example.org",
        "Cora Coordinator",
        (roles.NETWORK_COORDINATORS,),
        False,
        True,
    ),
    ("network member", "member@example.org", "Mina Member", (), False, False),
    ("organisation lead", "lead@example.org", "Lola Lead", (), False, False),
    ("employer contact", "employer@example.org", "Eli Employer", (), False, False),
]


def seed() -> tuple[dict[str, User], list[str]]:
    """Create (or reset) each demo account with a new password, and MFA for the staff
    roles. Returns the users by email, and lines saying how to sign in as each."""
    lines, users = [], {}
    for role, email, name, groups, superuser, with_mfa in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        users[email] = user_create_verified(
            email=email,
            password=password,
            full_name=name,
            groups=groups,
            is_superuser=superuser,
        )
        lines.append(f"  {role:<22} {email:<26} password: {password}")
        if with_mfa:
            secret, codes = user_reset_mfa(user=users[email])
            lines.append(f"  {'':<22} authenticator secret: {secret}")
            lines.append(f"  {'':<22} recovery codes: {' '.join(codes)}")
    return users, lines
