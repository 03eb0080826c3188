"""Answers sealed on an event tablet for the portal alone (``static/js/capture.js``).

The moment a resident sends their answers, the tablet seals them to the portal's public
key: ECDH on P-256 between a key pair made for that one response (its private half is
never kept) and the portal's key, HKDF-SHA-256 over the shared secret into an AES-256-GCM
key, the response's id bound in as additional data. The tablet keeps only what it cannot
open again, so a lost tablet gives nothing away, with or without the staff PIN.

The portal's key pair is derived from ``SECRET_KEY`` (nothing more to keep or back up);
keys derived from ``SECRET_KEY_FALLBACKS`` still open what tablets sealed before a
rotation. Each sealed response names the key it was sealed to by a short id.
"""

import base64
import functools
import hashlib
import json

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

# What each derivation is for: a key made for one purpose is never used for another.
KEY_PURPOSE = b"dit-portal event capture key"
SEAL_PURPOSE = b"dit-portal event capture v1"
CURVE = ec.SECP256R1()
# The order of P-256's group: a private key is a number from 1 to ORDER - 1.
ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class CannotOpen(ValueError):
    """A sealed response that does not open with any of the portal's keys."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text) -> bytes:
    if not isinstance(text, str):
        raise CannotOpen
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise CannotOpen from None


@functools.cache
def _key_from(secret: str) -> ec.EllipticCurvePrivateKey:
    material = HKDF(hashes.SHA256(), 48, salt=None, info=KEY_PURPOSE).derive(secret.encode())
    return ec.derive_private_key(int.from_bytes(material) % (ORDER - 1) + 1, CURVE)


def _public_bytes(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def _key_id(key: ec.EllipticCurvePrivateKey) -> str:
    return _b64(hashlib.sha256(_public_bytes(key)).digest()[:9])


def _keys() -> dict[str, ec.EllipticCurvePrivateKey]:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return {_key_id(key): key for key in map(_key_from, secrets)}


def public_key() -> dict[str, str]:
    """The key tablets seal to: its id and its public point (uncompressed, base64url)."""
    key = _key_from(settings.SECRET_KEY)
    return {"id": _key_id(key), "point": _b64(_public_bytes(key))}


def open_sealed(sealed: dict) -> dict:
    """What a tablet sealed (``{"id", "key", "ephemeral", "iv", "data"}``, base64url), as
    the JSON object it was; ``CannotOpen`` when it was changed on the way, sealed to
    another key, or is not a sealed response at all."""
    named = sealed.get("key")
    key = _keys().get(named) if isinstance(named, str) else None
    if key is None:
        raise CannotOpen
    ephemeral, iv, data = (_unb64(sealed.get(name)) for name in ("ephemeral", "iv", "data"))
    try:
        theirs = ec.EllipticCurvePublicKey.from_encoded_point(CURVE, ephemeral)
        shared = key.exchange(ec.ECDH(), theirs)
    except ValueError:
        raise CannotOpen from None
    aes = HKDF(hashes.SHA256(), 32, salt=ephemeral, info=SEAL_PURPOSE).derive(shared)
    try:
        plain = AESGCM(aes).decrypt(iv, data, str(sealed.get("id")).encode())
        return json.loads(plain)
    except (InvalidTag, ValueError, UnicodeDecodeError):
        raise CannotOpen from None
