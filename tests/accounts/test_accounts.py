import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests import world
from tests.conftest import PASSWORD, totp_code
from tests.gates import admin_params, url_names

User = get_user_model()
pytestmark = pytest.mark.django_db

OPEN_WITHOUT_MFA = {"healthz", "favicon"}


def test_email_is_the_login_and_is_unique_whatever_its_case():
    user = User.objects.create_user(email="Ada@Example.org", password=PASSWORD)
    assert user.email == "ada@example.org"
    assert not hasattr(user, "username")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ADA@example.org")


def test_sign_up_needs_the_email_address_verified_before_signing_in(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.org"]
    assert "_auth_user_id" not in client.session

    login = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )
    assert login["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+)", mailoutbox[0].body)[1]
    client.post(link)
    assert client.session["_auth_user_id"] == str(User.objects.get(email="new@example.org").pk)


def test_sign_up_form_errors_are_summarised_and_linked(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "password1": "short", "password2": "different"},
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_email">Enter a valid email address.</a>' in html
    assert 'value="not-an-email"' in html


def test_staff_with_mfa_must_give_a_code_after_the_password(client, commission_staff):
    response = client.post(
        reverse("account_login"), {"login": commission_staff.email, "password": PASSWORD}
    )

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("staff_home")).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": totp_code(commission_staff.totp_secret)})
    assert client.session["_auth_user_id"] == str(commission_staff.pk)
    assert client.get(reverse("staff_home")).status_code == 200


def test_a_recovery_code_works_once(client, commission_staff):
    code = commission_staff.recovery_codes[0]
    for attempt in ("first", "second"):
        client.logout()
        client.post(
            reverse("account_login"), {"login": commission_staff.email, "password": PASSWORD}
        )
        client.post(reverse("mfa_authenticate"), {"code": code})
        signed_in = "_auth_user_id" in client.session
        assert signed_in is (attempt == "first")


def test_staff_without_mfa_are_sent_from_staff_pages_and_admin_to_set_it_up(
    client_for, staff_without_mfa
):
    client = client_for(staff_without_mfa)
    setup = reverse("mfa_activate_totp")
    assert client.get(reverse("staff_home"))["Location"] == f"{setup}?next=%2Fstaff%2F"

    staff_without_mfa.is_staff = True
    staff_without_mfa.save()
    assert client.get("/admin/")["Location"] == f"{setup}?next=%2Fadmin%2F"


def test_staff_without_mfa_open_no_page_but_their_own_account(client_for, staff_without_mfa):
    """A coordinator with a password only reads no member list, event or calendar file: every
    named page outside allauth's account pages sends them to set up their second factor."""
    built = world.build()
    client = client_for(staff_without_mfa)
    setup = reverse("mfa_activate_totp")
    opened = []
    for name in url_names():
        params = admin_params(name) if name.startswith("admin:") else built.params.get(name, {})
        if params is None or name.startswith(("account_", "mfa_")) or name in OPEN_WITHOUT_MFA:
            continue
        url = reverse(name, kwargs=params)
        response = client.get(url)
        if not response.get("Location", "").startswith(f"{setup}?next="):
            opened.append(f"{name} {url}: {response.status_code}")
    assert opened == []
    for name in ("account_logout", "account_email", "mfa_index"):
        assert not client.get(reverse(name)).get("Location", "").startswith(setup), name
    assert client.get(reverse("healthz")).status_code == 200


def test_staff_reach_staff_pages_once_mfa_is_set_up(client, staff_without_mfa):
    client.post(reverse("account_login"), {"login": staff_without_mfa.email, "password": PASSWORD})
    confirm = client.get(reverse("staff_home"), follow=True)
    assert "every page needs two-factor authentication." in confirm.content.decode()
    # allauth asks for the password again before changing how the account signs in.
    assert confirm.request["PATH_INFO"] == reverse("account_reauthenticate")
    setup = client.post(
        f"{reverse('account_reauthenticate')}?next={reverse('mfa_activate_totp')}",
        {"password": PASSWORD},
        follow=True,
    )
    assert setup.request["PATH_INFO"] == reverse("mfa_activate_totp")

    client.post(reverse("mfa_activate_totp"), {"code": totp_code(setup.context["form"].secret)})

    assert Authenticator.objects.filter(user=staff_without_mfa).exists()
    assert client.get(reverse("staff_home")).status_code == 200


def test_members_need_no_mfa(client_for, member):
    assert client_for(member).get(reverse("home")).status_code == 200
    assert client_for(member).get(reverse("account_email")).status_code == 200


def test_admin_sign_in_goes_through_allauth(client, member):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    client.force_login(member)
    assert client.get("/admin/login/").status_code == 403


def test_admin_site_is_for_admins(client_for, admin, member):
    assert client_for(admin).get("/admin/").status_code == 200
    assert client_for(admin).get("/admin/milestones/activity/").status_code == 200
    assert client_for(member).get("/admin/")["Location"].startswith("/admin/login/")


def test_password_reset_sends_a_link(client, member, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_failed_logins_lock_the_account_for_a_while(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})

    right = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})

    assert "Too many failed login attempts" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_attempts_from_one_address_are_rate_limited(client, member):
    responses = [
        client.post(reverse("account_login"), {"login": f"x{n}@example.org", "password": "x"})
        for n in range(31)
    ]
    assert [r.status_code for r in responses[:30]] == [200] * 30
    assert responses[30].status_code == 429
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in responses[30].content.decode()


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_seed_demo_creates_working_accounts_for_every_role(settings, client):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()

    passwords = dict(re.findall(r"(\S+@example\.org)\s+password: (\S+)", printed))
    assert set(passwords) == {
        "admin@example.org",
        "staff@example.org",
        "coordinator@example.org",
        "lead@example.org",
        "member@example.org",
        "employer@example.org",
    }
    for email, password in passwords.items():
        # Signed in (or, for staff, on to the second factor): the password was accepted.
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        assert response.status_code == 302, email
        client.logout()
    staff = User.objects.get(email="staff@example.org")
    assert staff.is_commission_staff
    assert not staff.is_superuser
    assert User.objects.get(email="coordinator@example.org").is_network_coordinator
    assert User.objects.get(email="admin@example.org").is_superuser
    assert Authenticator.objects.filter(user=staff).count() == 2  # TOTP and recovery codes
    assert not Authenticator.objects.filter(user__email="member@example.org").exists()
    assert len(re.findall(r"recovery codes: ", printed)) == 3


def test_seed_demo_can_be_run_again(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    before = User.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == before


def test_staff_can_reauthenticate_with_a_code_sent_to_their_address(
    client, staff_without_mfa, mailoutbox
):
    client.post(reverse("account_login"), {"login": staff_without_mfa.email, "password": PASSWORD})
    setup = reverse("mfa_activate_totp")
    asked = client.get(setup, follow=True)
    by_code = reverse("account_request_reauthentication_code")
    assert f'href="{by_code}?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"' in asked.content.decode()

    page = client.get(f"{by_code}?next={setup}")
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    assert 'for="id_recipient"' in page.content.decode()

    sent = client.post(f"{by_code}?next={setup}", {"recipient": staff_without_mfa.email})
    assert sent["Location"].startswith(reverse("account_confirm_reauthentication_code"))
    assert mailoutbox[-1].to == [staff_without_mfa.email]
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mailoutbox[-1].body, re.MULTILINE)[1]

    confirm = client.get(sent["Location"])
    assert confirm.status_code == 200
    wrong = client.post(sent["Location"], {"code": "WRONG1"})
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.content.decode()

    done = client.post(sent["Location"], {"code": code}, follow=True)
    assert done.request["PATH_INFO"] == setup
