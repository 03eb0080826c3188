"""A tablet's batch of answers captured at an event, sent when it is back online: each
response saved once by the id the tablet made, however often or however far the batch is
sent; a tampered, malformed or duplicated batch refused whole, with what is wrong. Each
response is sealed for the portal as the tablet seals it (``seal``)."""

import base64
import datetime
import json
import os
import uuid

import pytest
import time_machine
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from consultation import sealing, services
from consultation.capture import MAX_RESPONSES
from consultation.models import Channel, OptionKind, Response

from .factories import ConsultationFactory, option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation():
    return ConsultationFactory()


def captured(consultation, **overrides):
    """One response as the tablet sends it."""
    return {
        "id": str(uuid.uuid4()),
        "given_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
        "language": "en-gb",
        "version": "standard",
        "answers": {
            "barriers": option_ids(consultation, OptionKind.BARRIER, 0, 1),
            "changes": option_ids(consultation, OptionKind.CHANGE, 0),
            "interest": "quite",
            "comments": "Said at the Dalston library stand.",
            "age_band": "25_34",
        },
        **overrides,
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal(value, *, id, portal=None, aad=None):
    """``value`` sealed as ``capture.js`` seals it: ECDH with a key pair made for it and
    the portal's public key (``portal``: the page's ``portal_key``), HKDF-SHA-256, AES-GCM
    with the id bound in (``aad`` to bind another)."""
    portal = portal or sealing.public_key()
    mine = ec.generate_private_key(ec.SECP256R1())
    ephemeral = mine.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    theirs = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(portal["point"]))
    aes = HKDF(hashes.SHA256(), 32, salt=ephemeral, info=b"dit-portal event capture v1").derive(
        mine.exchange(ec.ECDH(), theirs)
    )
    iv = os.urandom(12)
    data = AESGCM(aes).encrypt(iv, json.dumps(value).encode(), (aad or id).encode())
    return {
        "id": id,
        "key": portal["id"],
        "ephemeral": _b64(ephemeral),
        "iv": _b64(iv),
        "data": _b64(data),
    }


def sealed_response(response, event="Dalston library drop-in"):
    return seal({"event": event, "response": response}, id=response["id"])


def batch(*responses, event="Dalston library drop-in"):
    return {"sealed": [sealed_response(r, event) for r in responses]}


@pytest.fixture
def send(client_for, commission_staff, consultation):
    client = client_for(commission_staff)
    url = reverse("consultation_staff:capture_sync", args=[consultation.slug])

    def post(payload, *, raw=None):
        body = raw if raw is not None else json.dumps(payload)
        return client.post(url, body, content_type="application/json")

    return post


def test_a_batch_is_saved_as_event_responses(send, consultation):
    three = [captured(consultation) for _ in range(3)]
    three[1]["language"], three[2]["version"] = "tr", "easy_read"
    sent = send(batch(*three))
    assert sent.status_code == 200
    assert sorted(sent.json()["saved"]) == sorted(r["id"] for r in three)
    rows = Response.objects.filter(consultation=consultation).order_by("submitted_at")
    assert rows.count() == 3
    assert {(r.channel, r.channel_detail) for r in rows} == {
        (Channel.EVENT, "Dalston library drop-in")
    }
    first = Response.objects.get(submission_key=three[0]["id"])
    assert first.submitted_at == datetime.datetime.fromisoformat(three[0]["given_at"])
    assert first.age_band == "25_34"
    assert first.options.count() == 3
    assert Response.objects.get(submission_key=three[1]["id"]).language == "tr"
    assert Response.objects.get(submission_key=three[2]["id"]).version == "easy_read"


def test_a_batch_sent_again_or_after_a_cut_saves_each_response_once(send, consultation):
    three = [captured(consultation) for _ in range(3)]
    assert send(batch(*three[:2])).json()["saved"] == [r["id"] for r in three[:2]]  # cut off
    again = send(batch(*three)).json()
    assert again == {"saved": [three[2]["id"]], "already": [r["id"] for r in three[:2]]}
    assert send(batch(*three)).json()["already"] == [r["id"] for r in three]
    assert Response.objects.filter(consultation=consultation).count() == 3


def test_two_tablets_sending_the_same_batch_make_each_response_once(
    commission_staff, consultation, admin
):
    three = [captured(consultation) for _ in range(3)]
    url = reverse("consultation_staff:capture_sync", args=[consultation.slug])
    tablets = [Client(), Client()]
    tablets[0].force_login(commission_staff)
    tablets[1].force_login(admin)
    body = json.dumps(batch(*three))  # what both tablets hold, sealed
    for tablet in tablets:
        sent = tablet.post(url, body, content_type="application/json")
        assert sent.status_code == 200
    assert Response.objects.filter(consultation=consultation).count() == 3


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ("not json {", "Not JSON."),
        ([], "Expected an object with a list of sealed responses."),
        ({"event": "Stand", "responses": [{}]}, "Expected an object with a list of sealed"),
        ({"sealed": []}, "Send between 1 and"),
        ({"sealed": ["a response"]}, "Expected an object."),
    ],
)
def test_a_malformed_batch_is_refused(send, consultation, payload, problem):
    sent = send(None, raw=payload if isinstance(payload, str) else json.dumps(payload))
    assert sent.status_code == 400
    assert problem in json.dumps(sent.json(), ensure_ascii=False)
    assert not Response.objects.exists()


def _tampered(consultation, other):
    """Sealed responses the portal must refuse, by what is wrong with them."""
    good = captured(consultation)
    wrong_answers = {
        "an answer from another consultation": {
            **good,
            "answers": {**good["answers"], "barriers": option_ids(other, OptionKind.BARRIER, 0)},
        },
        "no barrier at all": {**good, "answers": {**good["answers"], "barriers": []}},
        "an unknown question": {**good, "answers": {**good["answers"], "salary": "1"}},
        "a time before it opened": {
            **good,
            "given_at": (consultation.opens_at - datetime.timedelta(days=1)).isoformat(),
        },
        "a time in the future": {
            **good,
            "given_at": (timezone.now() + datetime.timedelta(hours=1)).isoformat(),
        },
        "a time without its offset": {**good, "given_at": "2026-12-01T10:00:00"},
        "a language not offered": {**good, "language": "fr"},
        "a version made up": {**good, "version": "large-print"},
        "a comment too long": {**good, "answers": {**good["answers"], "comments": "x" * 5001}},
        "answers not an object": {**good, "answers": ["barriers"]},
    }
    found = {name: sealed_response(bad) for name, bad in wrong_answers.items()}
    found["an id that is not a UUID"] = sealed_response({**good, "id": "1; DROP TABLE"})
    found["no event"] = sealed_response(good, event=" ")
    found["an event name too long"] = sealed_response(good, event="x" * 201)
    other_portal = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = other_portal.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    found["sealed for another portal"] = seal(
        {"event": "Stand", "response": good},
        id=good["id"],
        portal={"id": "x", "point": _b64(point)},
    )
    found["sealed to another key under the portal's key's name"] = {
        **found["sealed for another portal"],
        "key": sealing.public_key()["id"],
    }
    sealed = sealed_response(good)
    flipped = bytearray(_unb64(sealed["data"]))
    flipped[0] ^= 1
    found["changed on the way"] = {**sealed, "data": _b64(bytes(flipped))}
    found["its id changed on the way"] = {**sealed, "id": str(uuid.uuid4())}
    found["holding another response"] = seal(
        {"event": "Stand", "response": captured(consultation)}, id=good["id"]
    )
    found["not base64"] = {**sealed, "data": "%%%"}
    found["no ephemeral key"] = {**sealed, "ephemeral": None}
    found["a point not on the curve"] = {**sealed, "ephemeral": _b64(b"\x04" + b"\x01" * 64)}
    found["a key named by a list"] = {**sealed, "key": ["x"]}
    return found


def test_a_tampered_response_refuses_the_whole_batch(send, consultation):
    other = ConsultationFactory()
    for name, bad in _tampered(consultation, other).items():
        fine = captured(consultation)
        sent = send({"sealed": [sealed_response(fine), bad]})
        assert sent.status_code == 400, name
        assert list(sent.json()["problems"]) == [str(bad["id"])], name
        assert not Response.objects.exists(), name  # nothing half-stored


def test_answers_sealed_before_the_secret_key_is_rotated_still_open(send, consultation):
    old = sealing.public_key()
    before = sealed_response(captured(consultation))
    new = {"SECRET_KEY": "a-rotated-secret-" * 4}
    with override_settings(**new, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert sealing.public_key()["id"] != old["id"]
        assert send({"sealed": [before]}).status_code == 200
    after = sealed_response(captured(consultation))
    with override_settings(**new, SECRET_KEY_FALLBACKS=[]):
        refused = send({"sealed": [after]})
    assert refused.status_code == 400
    assert "does not open with the portal's key" in json.dumps(refused.json())
    assert Response.objects.filter(consultation=consultation).count() == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=4000)
def test_a_batch_too_large_to_read_is_told_as_413_and_saves_nothing(send, consultation):
    sent = send(batch(*(captured(consultation) for _ in range(10))))
    assert sent.status_code == 413
    assert "Send fewer responses at once: at most 4000 bytes." in sent.json()["problems"]["batch"]
    assert not Response.objects.exists()


def test_an_id_twice_in_a_batch_or_taken_by_another_consultation_is_refused(send, consultation):
    one = captured(consultation)
    twice = sealed_response(one)
    assert send({"sealed": [twice, twice]}).status_code == 400
    other = ConsultationFactory()
    services.response_submit(
        consultation=other,
        answers={"barriers": option_ids(other, OptionKind.BARRIER, 0)},
        submission_key=uuid.UUID(one["id"]),
    )
    sent = send(batch(one))
    assert sent.status_code == 400
    assert "belongs to another consultation" in json.dumps(sent.json())
    assert not Response.objects.filter(consultation=consultation).exists()


def test_too_many_responses_in_one_batch_are_refused(send, consultation):
    many = [captured(consultation) for _ in range(MAX_RESPONSES + 1)]
    assert send(batch(*many)).status_code == 400


def test_a_sign_in_that_ran_out_is_told_as_401_and_saves_nothing(consultation):
    url = reverse("consultation_staff:capture_sync", args=[consultation.slug])
    sent = Client().post(url, json.dumps(batch(captured(consultation))), "application/json")
    assert sent.status_code == 401
    assert "Sign in again" in sent.json()["error"]
    assert not Response.objects.exists()


def test_the_sync_needs_the_csrf_token(commission_staff, consultation):
    tablet = Client(enforce_csrf_checks=True)
    tablet.force_login(commission_staff)
    url = reverse("consultation_staff:capture_sync", args=[consultation.slug])
    sent = tablet.post(url, json.dumps(batch(captured(consultation))), "application/json")
    assert sent.status_code == 403
    assert not Response.objects.exists()


def test_the_capture_page_asks_the_questions_and_says_it_needs_javascript(
    client_for, commission_staff, consultation
):
    page = client_for(commission_staff).get(
        reverse("consultation_staff:capture", args=[consultation.slug])
    )
    html = page.content.decode()
    assert "This page needs JavaScript." in html
    for step in ("barriers", "changes", "support", "comments", "about-you", "circumstances"):
        assert f'data-page="{step}"' in html
    assert 'data-page="contact"' not in html  # no email address on a shared tablet
    assert 'name="website"' not in html
    assert 'name="csrfmiddlewaretoken"' in html
    config = page.context["config"]
    assert config["sync"] == reverse("consultation_staff:capture_sync", args=[consultation.slug])
    assert config["portal_key"] == sealing.public_key()  # what the tablet seals to
    assert config["rules"]["en-gb"]["barriers"] == [
        {
            "fields": ["barriers", "barriers_other"],
            "message": "Select at least one barrier, or describe it in your own words",
        }
    ]
    assert config["rules"]["en-gb"]["support"] == [
        {"fields": ["interest"], "message": "Select how interested you are in a digital tech job"}
    ]
    assert config["rules"]["en-gb"]["comments"] == []


def test_the_capture_page_keeps_what_it_needs_to_open_offline(
    client_for, commission_staff, consultation
):
    client = client_for(commission_staff)
    page = reverse("consultation_staff:capture", args=[consultation.slug])
    worker = client.get(reverse("consultation_staff:capture_worker", args=[consultation.slug]))
    assert worker["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in worker["Cache-Control"]  # checked for a newer one every time
    script = worker.content.decode()
    for kept in (page, "/static/js/capture.js", "/static/css/portal.css"):
        assert f'"{kept}"' in script
    manifest = client.get(reverse("consultation_staff:capture_manifest", args=[consultation.slug]))
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["start_url"] == page
    assert manifest.json()["display"] == "standalone"


def test_the_tablet_asks_for_the_token_of_the_sign_in_it_has_now(
    client_for, commission_staff, consultation
):
    url = reverse("consultation_staff:capture_token", args=[consultation.slug])
    assert Client().get(url).status_code == 401
    answer = client_for(commission_staff).get(url)
    assert answer.status_code == 200
    assert len(answer.json()["token"]) == 64


def test_answers_given_before_the_close_are_taken_when_sent_after_it(client_for, commission_staff):
    closing = ConsultationFactory(closes_at=timezone.now() + datetime.timedelta(hours=1))
    url = reverse("consultation_staff:capture_sync", args=[closing.slug])
    client = client_for(commission_staff)
    given = closing.closes_at - datetime.timedelta(minutes=30)
    late = closing.closes_at + datetime.timedelta(minutes=5)
    with time_machine.travel(closing.closes_at + datetime.timedelta(minutes=10)):
        before = client.post(
            url,
            json.dumps(batch(captured(closing, given_at=given.isoformat()))),
            content_type="application/json",
        )
        after = client.post(
            url,
            json.dumps(batch(captured(closing, given_at=late.isoformat()))),
            content_type="application/json",
        )
    assert before.status_code == 200
    assert after.status_code == 400
    assert Response.objects.filter(consultation=closing).count() == 1


def test_a_batch_costs_the_same_few_queries_a_response_however_large(
    send, consultation, django_assert_max_num_queries
):
    """What the sync costs grows with the responses it saves, by a fixed number each (a
    response's own checks, rows and the figures' version), never by the lists it reads."""
    with django_assert_max_num_queries(14 + 14 * 4):
        assert send(batch(*(captured(consultation) for _ in range(4)))).status_code == 200
    with django_assert_max_num_queries(14 + 14 * 8):
        assert send(batch(*(captured(consultation) for _ in range(8)))).status_code == 200
