"""The account pages (allauth's, in the portal's words and design): where each role lands
after signing in, sentence case throughout, and the second-factor page's recovery codes."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, make_user, totp_code

pytestmark = pytest.mark.django_db

# allauth's own English, in title case: none of it may reach a page.
TITLE_CASE = (
    "Sign In",
    "Sign Up",
    "Sign Out",
    "Remember Me",
    "Two-Factor",
    "Password Reset",
    "Reset My Password",
    "Change Password",
    "Current Password",
    "New Password",
    "Email Addresses",
    "Add Email",
    "Make Primary",
    "Re-send Verification",
    "Confirm Access",
    "Authenticator App",
    "Recovery Codes",
    "Request Code",
    "Verify Your Email",
)
# Words that keep their capital inside a sentence-case heading, label or button.
PROPER = {"I", "DiT", "Portal", "Microsoft", "Google", "Authenticator", "QR"}


def sign_in(client, user, *, next_url=None, second_factor=True):
    """Through the sign-in page, and the second factor if the account has one; returns
    where the portal sends them at the end."""
    login = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    response = client.post(login, {"login": user.email, "password": PASSWORD})
    if second_factor and response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(user.totp_secret)})
    assert response.status_code == 302
    return response["Location"]


def texts(page: str) -> list[str]:
    """The page's title, headings, labels, legends, buttons and button-like links."""
    found = []
    for tag in ("title", "h1", "h2", "h3", "label", "legend", "button"):
        found += re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", page, re.DOTALL)
    found += re.findall(r'<a [^>]*class="govuk-button[^"]*"[^>]*>(.*?)</a>', page, re.DOTALL)
    cleaned = []
    for text in found:
        text = html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
        text = " ".join(text.split()).split(" – ")[0]  # the title's " – DiT Portal"
        text = text.removeprefix("Error: ")  # a title's, when the form has a problem
        if text:
            cleaned.append(text)
    return cleaned


def not_in_sentence_case(page: str) -> list[str]:
    wrong = [phrase for phrase in TITLE_CASE if phrase in page]
    for text in texts(page):
        words = re.findall(r"[A-Za-z][\w'-]*", text)
        if any(w[0].isupper() and w not in PROPER for w in words[1:]) and "@" not in text:
            wrong.append(text)
    return wrong


@pytest.mark.parametrize("user", ["commission_staff", "coordinator", "admin"])
def test_staff_roles_land_on_their_dashboard_after_the_second_factor(client, request, user):
    staff = request.getfixturevalue(user)
    password_step = client.post(
        reverse("account_login"), {"login": staff.email, "password": PASSWORD}
    )
    assert password_step["Location"] == reverse("mfa_authenticate")

    code_step = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff.totp_secret)})

    assert code_step["Location"] == reverse("staff_home")
    assert client.get(code_step["Location"]).status_code == 200


def test_staff_land_on_their_dashboard_after_a_recovery_code_too(client, commission_staff):
    client.post(reverse("account_login"), {"login": commission_staff.email, "password": PASSWORD})
    response = client.post(
        reverse("mfa_authenticate"), {"code": commission_staff.recovery_codes[0]}
    )
    assert response["Location"] == reverse("staff_home")


def test_members_land_where_they_did_before(client, member):
    assert sign_in(client, member) == reverse("home")


def test_an_account_with_only_admin_site_access_is_not_sent_to_the_dashboard(client):
    # It has no staff role, so the workspace would refuse it.
    user = make_user("site.admin@example.org")
    user.is_staff = True
    user.save()
    assert sign_in(client, user, second_factor=False) == reverse("home")


def test_the_page_asked_for_is_honoured_for_staff_and_members(client, coordinator, member):
    assert sign_in(client, coordinator, next_url="/roadmap/") == "/roadmap/"
    client.logout()
    assert sign_in(client, member, next_url="/network/") == "/network/"


def test_staff_without_a_second_factor_land_on_setting_it_up_for_the_dashboard(
    client, staff_without_mfa
):
    landing = sign_in(client, staff_without_mfa)
    assert landing == reverse("staff_home")
    setup = client.get(landing)
    assert setup["Location"] == f"{reverse('mfa_activate_totp')}?next=%2Fstaff%2F"


def test_the_second_factor_page_says_a_recovery_code_works_there(client, commission_staff):
    client.post(reverse("account_login"), {"login": commission_staff.email, "password": PASSWORD})
    page = client.get(reverse("mfa_authenticate")).content.decode()

    assert '<h1 class="govuk-heading-l">Two-factor authentication</h1>' in page
    assert "you can enter one of your recovery codes here instead" in page
    # The field's hint says it too, for whoever reads only the form.
    hint = re.search(r'<div id="id_code_hint" class="govuk-hint">(.*?)</div>', page)[1]
    assert "recovery codes" in hint
    assert 'aria-describedby="id_code_hint"' in page
    assert not_in_sentence_case(page) == []


def _pages_signed_out(client):
    yield "sign in", client.get(reverse("account_login"))
    yield "sign in, wrong", client.post(reverse("account_login"), {"login": "x", "password": ""})
    yield "sign up", client.get(reverse("account_signup"))
    yield "sign up, wrong", client.post(reverse("account_signup"), {"email": "x"})
    yield "password reset", client.get(reverse("account_reset_password"))
    yield "password reset sent", client.get(reverse("account_reset_password_done"))
    yield "verification sent", client.get(reverse("account_email_verification_sent"))
    yield (
        "bad reset link",
        client.get(
            reverse("account_reset_password_from_key", args=["1", "set-password"]), follow=True
        ),
    )


def _pages_of_a_member(client, member):
    client.force_login(member)
    yield "email addresses", client.get(reverse("account_email"))
    yield "password change", client.get(reverse("account_change_password"))
    yield "two-factor", client.get(reverse("mfa_index"))
    yield "sign out", client.get(reverse("account_logout"))
    yield "confirm it is you", client.get(reverse("account_reauthenticate"))
    yield "by code", client.get(reverse("account_request_reauthentication_code"))


def _pages_of_staff(client, commission_staff, staff_without_mfa):
    client.logout()
    client.post(reverse("account_login"), {"login": commission_staff.email, "password": PASSWORD})
    yield "second factor", client.get(reverse("mfa_authenticate"))
    yield "second factor, wrong", client.post(reverse("mfa_authenticate"), {"code": "1"})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(commission_staff.totp_secret)})
    yield "confirm with a code", client.get(reverse("mfa_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    yield "two-factor, on", client.get(reverse("mfa_index"))
    yield "recovery codes", client.get(reverse("mfa_view_recovery_codes"))
    yield "new recovery codes", client.get(reverse("mfa_generate_recovery_codes"))
    yield "turn off", client.get(reverse("mfa_deactivate_totp"))
    client.logout()
    client.post(reverse("account_login"), {"login": staff_without_mfa.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    yield "set up the app", client.get(reverse("mfa_activate_totp"))
    yield "set up the app, wrong", client.post(reverse("mfa_activate_totp"), {"code": "1"})


def test_account_pages_are_in_sentence_case(client, member, commission_staff, staff_without_mfa):
    pages = [
        *_pages_signed_out(client),
        *_pages_of_a_member(client, member),
        *_pages_of_staff(client, commission_staff, staff_without_mfa),
    ]
    problems = {}
    for name, response in pages:
        assert response.status_code == 200, name
        page = response.content.decode()
        assert page.count("<h1") == 1, name
        if wrong := not_in_sentence_case(page):
            problems[name] = wrong
    assert problems == {}
    assert len(pages) == 23


def test_sign_in_asks_in_sentence_case_with_no_placeholders(client):
    page = client.get(reverse("account_login")).content.decode()
    for label in ("Email address", "Password", "Remember me"):
        assert re.search(rf"<label[^>]*>\s*{label}\s*</label>", page), label
    assert "placeholder=" not in page
    reset = reverse("account_reset_password")
    assert f'<a class="govuk-link" href="{reset}">Forgot your password?</a>' in page
    assert "Remember Me" not in page


def test_an_empty_sign_in_names_what_is_missing(client):
    page = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()
    assert page.count("Enter your email address") == 2
    assert page.count("Enter your password") == 2
    assert "This field is required." not in page


def test_a_form_with_errors_says_so_in_the_page_title(client):
    response = client.post(reverse("account_login"), {"login": "x", "password": ""})
    assert "<title>Error: Sign in – " in response.content.decode()


def test_the_authenticator_qr_code_is_drawn_in_the_page(client, staff_without_mfa):
    client.post(reverse("account_login"), {"login": staff_without_mfa.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    # No data: image, which the Content Security Policy refuses; no XML declaration.
    assert "data:image" not in page
    assert "<?xml" not in page
    assert (
        '<svg role="img" aria-label="QR code to add the portal to your authenticator app"' in page
    )


def test_account_emails_have_sentence_case_subjects(client, member, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": member.email})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    client.post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "password1": "a long and unusual passphrase 71",
            "password2": "a long and unusual passphrase 71",
        },
    )

    assert [m.subject for m in mailoutbox] == [
        "[DiT Portal] Reset your password",
        "[DiT Portal] You do not have an account with this email address",
        "[DiT Portal] Confirm your email address",
    ]
