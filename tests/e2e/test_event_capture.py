"""Answers at an event with no connection (Chromium): the capture page opened once online
opens again offline from its service worker; three residents answer; back online, one send
saves three rows; a send cut off half way and sent again, or the same answers sent from a
second tablet, still makes each response once; what waits on a tablet only the portal can
open. The page's states pass axe and the Nu checker."""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from consultation import sealing
from consultation.models import Channel, Response
from tests.consultation.factories import ConsultationFactory, translate_all
from tests.e2e.conftest import vnu_errors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PIN = "482916"

# The answers waiting on a tablet, as stored (its IndexedDB), and answers put there.
WAITING = """() => new Promise((resolve) => {
    const open = indexedDB.open(JSON.parse(
        document.getElementById("capture-config").textContent).database);
    open.onsuccess = () => {
        const all = open.result.transaction("waiting").objectStore("waiting").getAll();
        all.onsuccess = () => resolve(JSON.stringify(all.result));
    };
})"""
KEEP_WAITING = """(records) => new Promise((resolve) => {
    const open = indexedDB.open(JSON.parse(
        document.getElementById("capture-config").textContent).database);
    open.onsuccess = () => {
        const transaction = open.result.transaction("waiting", "readwrite");
        records.forEach((record) => transaction.objectStore("waiting").put(record));
        transaction.oncomplete = () => resolve(true);
    };
})"""


def answer_once(page, code="en-gb"):
    """One resident, from "Start" to "hand the tablet back", in the language ``code``, then
    staff unlock again."""
    with translation.override(code):
        words = {w: gettext(w) for w in ("Save and continue", "Send my answers")}
        thanks = gettext("Thank you: your answers are saved")
    page.get_by_role("button", name="Start a resident's answers").click()
    choose = page.locator("[data-state=choose]")
    if choose.is_visible():
        choose.locator(f"[data-choose={code}]").click()
    block = page.locator(f"[data-language={code}]")
    block.locator("[data-page=barriers]").get_by_role("checkbox").first.check()
    block.get_by_role("button", name=words["Save and continue"]).locator("visible=true").click()
    block.locator("[data-page=changes]").get_by_role("checkbox").first.check()
    block.get_by_role("button", name=words["Save and continue"]).locator("visible=true").click()
    block.locator("[data-page=support]").get_by_role("radio").first.check()
    for _ in range(3):
        block.get_by_role("button", name=words["Save and continue"]).locator("visible=true").click()
    block.get_by_role("button", name=words["Send my answers"]).click()
    expect(page.get_by_role("heading", name=thanks)).to_be_visible()
    page.get_by_role("button", name="Staff: unlock for the next resident").click()
    page.get_by_label("Staff PIN", exact=True).fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("heading", name="Ready for the next resident")).to_be_visible()


def test_answers_taken_offline_are_sent_once(visitors, commission_staff, admin):
    consultation = ConsultationFactory()
    url = reverse("consultation_staff:capture", args=[consultation.slug])
    sync = reverse("consultation_staff:capture_sync", args=[consultation.slug])
    staff = visitors(user=commission_staff)
    page = staff.page
    page.goto(url)
    html = {"setup": page.content()}
    staff.check()
    page.get_by_label("Event", exact=True).fill("Dalston library drop-in")
    page.get_by_label("Staff PIN (at least 6 digits)").fill(PIN)
    page.get_by_label("The PIN again").fill(PIN)
    page.get_by_role("button", name="Set up").click()
    expect(page.get_by_role("heading", name="Locked: staff PIN to continue")).to_be_visible()
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    staff.context.set_offline(True)
    page.reload()  # from the service worker
    expect(page.get_by_role("heading", name="Locked: staff PIN to continue")).to_be_visible()
    page.get_by_label("Staff PIN", exact=True).fill("000000")
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_text("That PIN does not unlock this tablet.")).to_be_visible()
    page.get_by_label("Staff PIN", exact=True).fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_role("heading", name="Ready for the next resident")).to_be_visible()
    html["staff"] = page.content()
    staff.check()
    # A page left without an answer says so, as online.
    page.get_by_role("button", name="Start a resident's answers").click()
    page.get_by_role("button", name="Save and continue").locator("visible=true").click()
    expect(
        page.get_by_text("Select at least one barrier, or describe it in your own words").first
    ).to_be_visible()
    html["question"] = page.content()
    staff.check()
    page.reload()  # a resident half way who leaves: the page opens locked
    expect(page.get_by_role("heading", name="Locked: staff PIN to continue")).to_be_visible()
    page.get_by_label("Staff PIN", exact=True).fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    for _ in range(3):
        answer_once(page)
    expect(page.locator("[data-count=waiting]")).to_have_text("3")
    # Nothing readable is kept: the answers wait sealed for the portal, which alone opens them.
    stored = json.loads(page.evaluate(WAITING))
    assert [sorted(record) for record in stored] == [["data", "ephemeral", "id", "iv", "key"]] * 3
    assert "Dalston" not in json.dumps(stored)
    opened = sealing.open_sealed(stored[0])
    assert opened["event"] == "Dalston library drop-in"
    assert opened["response"]["id"] == stored[0]["id"]
    assert not Response.objects.exists()

    staff.context.set_offline(False)  # back online: what waits goes by itself
    expect(page.get_by_text("Sent: 3 answers are saved in the portal.")).to_be_visible()
    rows = Response.objects.filter(consultation=consultation)
    assert rows.count() == 3
    assert set(rows.values_list("channel", "channel_detail")) == {
        (Channel.EVENT, "Dalston library drop-in")
    }

    # Sends cut off once the portal has saved the answers (unlocking sends what waits), then
    # sent again: still once each.
    sent_bodies = []

    def cut_off(route):
        sent_bodies.append(route.request.post_data)
        route.fetch()  # the portal saves them
        route.abort()  # and the tablet never hears so

    page.route(f"**{sync}", cut_off)
    for _ in range(2):
        answer_once(page)
    expect(page.get_by_text("No connection: the answers wait on this tablet.")).to_be_visible()
    expect(page.locator("[data-count=waiting]")).to_have_text("2")
    assert len(sent_bodies) == 2
    assert rows.count() == 5
    page.unroute(f"**{sync}")
    page.get_by_role("button", name="Send waiting answers now").click()
    expect(page.get_by_text("Sent: 2 answers are saved in the portal.")).to_be_visible()
    expect(page.locator("[data-count=sent]")).to_have_text("5")
    assert rows.count() == 5

    # The same answers waiting on a second tablet (another member of staff, who set it up
    # with a PIN of their own): nothing doubles.
    page.wait_for_load_state("networkidle")
    other = visitors(user=admin)
    other.page.goto(url)
    other.page.get_by_label("Event", exact=True).fill("Dalston library drop-in")
    other.page.get_by_label("Staff PIN (at least 6 digits)").fill("771100")
    other.page.get_by_label("The PIN again").fill("771100")
    other.page.get_by_role("button", name="Set up").click()
    # Set up once it is locked: a reload before then loses the setup being written.
    expect(other.page.get_by_role("heading", name="Locked: staff PIN to continue")).to_be_visible()
    other.page.evaluate(KEEP_WAITING, json.loads(sent_bodies[-1])["sealed"])
    other.page.reload()  # opened online, the tablet sends what waits on it
    other.page.get_by_label("Staff PIN", exact=True).fill("771100")
    other.page.get_by_role("button", name="Unlock").click()
    expect(other.page.locator("[data-count=sent]")).to_have_text("2")
    expect(other.page.locator("[data-count=waiting]")).to_have_text("0")
    assert rows.count() == 5
    # A sign-in that has run out: the answer waits until staff sign in again.
    staff.context.clear_cookies()
    answer_once(page)
    expect(page.get_by_text("Sign in again (in another tab) to send")).to_be_visible()
    expect(page.locator("[data-count=waiting]")).to_have_text("1")
    staff.sign_in_as(commission_staff)
    page.get_by_role("button", name="Send waiting answers now").click()
    expect(page.get_by_text("Sent: 1 answers are saved in the portal.")).to_be_visible()
    assert rows.count() == 6

    # At another event: answers from now on carry its name; those given before keep theirs.
    page.get_by_text("At another event now").click()
    page.get_by_label("The new event").fill("Stoke Newington library")
    page.get_by_role("button", name="Change the event").click()
    expect(page.locator("[data-event-name]")).to_have_text("Stoke Newington library")
    answer_once(page)
    # The message is the one the send before left ("Sent: 1 …"): wait for this answer's.
    expect(page.locator("[data-count=sent]")).to_have_text("7")
    assert rows.filter(channel_detail="Stoke Newington library").count() == 1
    assert rows.filter(channel_detail="Dalston library drop-in").count() == 6

    # In the consultation's other languages: a resident chooses Turkish.
    translate_all(consultation, "tr", commission_staff)
    page.reload()
    page.get_by_label("Staff PIN", exact=True).fill(PIN)
    page.get_by_role("button", name="Unlock").click()
    answer_once(page, "tr")
    expect(page.get_by_text("Sent: 1 answers are saved in the portal.")).to_be_visible()
    assert rows.order_by("-pk").first().language == "tr"

    # An answer the portal will not take is put aside (still encrypted), not retried forever.
    def refuse(route):
        (first,) = json.loads(route.request.post_data)["sealed"]
        route.fulfill(status=400, json={"problems": {first["id"]: ["Its time is not while…"]}})

    page.route(f"**{sync}", refuse)
    answer_once(page)
    expect(page.get_by_text("1 answers the portal would not take are kept aside")).to_be_visible()
    expect(page.locator("[data-count=refused]")).to_have_text("1")
    expect(page.locator("[data-count=waiting]")).to_have_text("0")
    page.unroute(f"**{sync}")

    # The failures the console reports are the sends cut off or refused on purpose.
    expected = ("net::ERR_FAILED", "status of 400", "status of 401")
    assert [p for p in staff.problems if not any(e in p for e in expected)] == []
    assert other.problems == []
    assert vnu_errors(html) == []
