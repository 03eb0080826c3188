"""Who may open what: every URL of the portal, for every kind of visitor, against the
rule written for it in ``tests/gates.py``. The URLs come from the URLconf, so a new view
without a rule fails this test until someone says who may use it.

Each request runs on a copy of the same world and is rolled back, so what one visit does
(following an invitation link, say) cannot open a door for the next. Every page that
answers 200 is also checked for the private words planted in the world (``SECRETS``): a
role that may not see one must never find it, and every page behind a sign-in or an
invitation tells browsers and proxies not to store it.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import world
from tests.gates import (
    ADMIN,
    COORDINATOR,
    EMPLOYER,
    MEMBER,
    PUBLIC,
    RULES,
    STAFF,
    admin_params,
    expected,
    url_names,
)

pytestmark = pytest.mark.django_db


def _visit(user, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    return response


def test_every_url_has_a_rule():
    names = {name for name in url_names() if not name.startswith("admin:")}
    assert names - set(RULES) == set(), "Say who may use these new URLs, in RULES"
    assert set(RULES) - names == set(), "These URLs are gone: remove their rules"


@pytest.mark.parametrize("role", world.ROLES)
def test_each_role_gets_what_the_rules_say(role):
    built = world.build()
    user = built.users[role]
    wrong, leaks, stored = [], [], []
    for name in url_names():
        params = admin_params(name) if name.startswith("admin:") else built.params.get(name, {})
        if params is None:
            continue
        url = reverse(name, kwargs=params)
        response = _visit(user, url)
        wanted = expected(name)[role]
        if response.status_code != wanted:
            wrong.append(f"{name} {url}: {response.status_code}, expected {wanted}")
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        text = response.content.decode(errors="replace")
        leaks += [
            f"{name}: shows {secret!r}"
            for secret, allowed in world.SECRETS.items()
            if role not in allowed and secret in text
        ]
        public = expected(name) == PUBLIC or name.startswith("account_")
        if not public and "no-store" not in response.get("Cache-Control", ""):
            stored.append(name)
    assert wrong == [], "\n".join(wrong)
    assert leaks == [], "\n".join(leaks)
    assert stored == [], f"Pages for {role} without Cache-Control: no-store: {stored}"


def test_private_words_are_where_their_readers_look():
    """The secrets check above is only as good as the planting: each private word is
    really shown to someone allowed to see it."""
    built = world.build()
    where = {
        "Resident-free-text-7Q2": (STAFF, "consultation_staff:code_response"),
        "Employer-draft-answer-4K9": (EMPLOYER, "employers:survey"),
        "Member-hidden-bio-8R3": (MEMBER, "network:profile"),
        "resident.contact.5t1@example.org": (ADMIN, "admin:consultation_contact_changelist"),
        "Unchecked-quote-3W5": (STAFF, "recommendations:staff_quotes"),
        "Draft-recommendation-6P1": (STAFF, "recommendations:staff_list"),
        "Shared-session-note-5V4": (MEMBER, "network:me"),
        "Coordinator-session-note-2N8": (COORDINATOR, "network:session"),
        "Check-in-note-9J6": (COORDINATOR, "network:mentoring"),
    }
    assert set(where) == set(world.SECRETS)
    for secret, (role, name) in where.items():
        url = reverse(name, kwargs=built.params.get(name, {}))
        assert secret in _visit(built.users[role], url).content.decode(), secret
