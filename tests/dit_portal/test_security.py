"""Hardening a person would notice: the browser is told to run nothing but the portal's own
files, repeated wrong passwords lock a sign-in out (the admin's included), and every change
staff make is on record."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from common import ratelimit
from milestones import services as roadmap
from milestones.models import Activity
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_pages_forbid_inline_script_and_style_and_framing(client):
    policy = _directives(client.get(reverse("home")))

    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in " ".join(policy.values())


def test_error_pages_carry_the_policy_too(client):
    assert "script-src 'self'" in client.get("/no-such-page/")["Content-Security-Policy"]


def test_pages_switch_off_the_browser_features_the_portal_never_uses(client):
    for url in (reverse("home"), "/no-such-page/"):
        header = client.get(url)["Permissions-Policy"]
        features = dict(part.strip().split("=") for part in header.split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()"


def _sign_in(client, email, password, next_url="/"):
    return client.post(
        f"{reverse('account_login')}?next={next_url}", {"login": email, "password": password}
    )


def test_repeated_wrong_passwords_for_the_admin_lock_the_sign_in_out(client, admin):
    admin_home = reverse("admin:index")
    assert client.get(admin_home).status_code == 302  # the admin signs in through allauth

    responses = [_sign_in(client, admin.email, "wrong", admin_home) for _ in range(5)]

    assert [r.status_code for r in responses] == [200] * 4 + [429]
    assert '<h1 class="govuk-heading-l">Too many attempts</h1>' in responses[-1].content.decode()

    # allauth's own limit has long passed; the lockout still holds, right password or not.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        still = _sign_in(client, admin.email, PASSWORD, admin_home)
    assert still.status_code == 429
    assert "_auth_user_id" not in client.session

    # Each refused try starts the 15 minutes again.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=26)):
        after = _sign_in(client, admin.email, PASSWORD, admin_home)
    assert after.status_code == 302  # on to the second factor
    assert reverse("mfa_authenticate") in after["Location"]


def test_a_lockout_is_for_that_account_from_that_address_only(client, member, other_member):
    for _ in range(5):
        _sign_in(client, member.email.upper(), "wrong")

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert _sign_in(client, member.email, PASSWORD).status_code == 429
        assert _sign_in(client, other_member.email, PASSWORD).status_code == 302


def test_a_staff_edit_is_recorded_with_who_made_it(client_for, commission_staff, admin):
    roadmap.roadmap_load()
    activity = Activity.objects.get(slug="cabinet-paper")
    client = client_for(commission_staff)

    client.post(
        reverse("milestones:activity_edit", args=[activity.slug]),
        {
            "title": "Cabinet paper agreed",
            "workstream": activity.workstream_id,
            "kind": "paper",
            "starts_month": "7",
            "starts_year": "2021",
            "is_public": "on",
        },
    )

    entry = LogEntry.objects.get_for_object(activity).latest("timestamp")
    assert entry.actor == commission_staff
    assert entry.changes_dict["title"] == ["Cabinet Paper", "Cabinet paper agreed"]

    history = client_for(admin).get(
        reverse("admin:milestones_activity_auditlog", args=[activity.pk])
    )
    assert history.status_code == 200
    assert "Cabinet paper agreed" in history.content.decode()
    assert str(commission_staff) in history.content.decode()


def test_a_change_of_role_is_recorded(client_for, admin, member):
    from django.contrib.auth.models import Group

    from accounts import roles

    client = client_for(admin)
    group = Group.objects.get(name=roles.COMMISSION_STAFF)
    response = client.post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        {
            "email": member.email,
            "full_name": member.full_name,
            "is_active": "on",
            "groups": [group.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": member.date_joined.strftime("%d/%m/%Y"),
            "date_joined_1": member.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = LogEntry.objects.get_for_object(member).latest("timestamp")
    assert entry.actor == admin
    assert roles.COMMISSION_STAFF in str(entry.changes_dict["groups"])


@pytest.mark.parametrize("name", ["admin:index", "admin:milestones_activity_add"])
def test_the_admin_has_the_same_strict_policy(client_for, admin, name):
    policy = _directives(client_for(admin).get(reverse(name)))

    assert policy["style-src"] == "'self'"
    assert policy["script-src"] == "'self'"


def test_the_audit_history_page_keeps_its_styles_in_a_file(client_for, admin):
    """django-auditlog's own template styles its page inline, which the policy refuses."""
    from tests.milestones.factories import ActivityFactory

    activity = ActivityFactory()

    html = (
        client_for(admin)
        .get(reverse("admin:milestones_activity_auditlog", args=[activity.pk]))
        .content.decode()
    )

    assert "<style" not in html
    assert "css/auditlog.css" in html
    assert "auditlog-entries" in html


def test_behind_a_proxy_a_forged_forwarded_address_does_not_escape_the_rate_limit(settings, rf):
    """Behind one proxy, the address it appends is the client's; whatever the client put in
    front of it is theirs to forge, so it must not give them a fresh allowance."""
    settings.NUM_PROXIES = 1

    def attempt(forged):
        request = rf.post("/", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7")
        return ratelimit.allow(request, scope="test", limit=2, period=60)

    assert [attempt(f"10.0.0.{n}") for n in range(3)] == [True, True, False]
    other = rf.post("/", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert ratelimit.allow(other, scope="test", limit=2, period=60)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings, rf):
    settings.NUM_PROXIES = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="192.0.2.9")
    assert ratelimit.client_address(request) == "192.0.2.9"


def test_an_address_nothing_can_read_is_refused_plainly(client_for, admin):
    client = client_for(admin)
    for url in (
        "/?page=%00",
        "/staff/consultation/any/coding/%00/",
        "/admin/notifications/message/?status=%00",
        f"/admin/accounts/user/{admin.pk}/change/?_to_field=",
    ):
        refused = client.get(url)
        assert refused.status_code == 400, url
        assert "there is a problem with the web address" in refused.content.decode()
