"""How intake requests prove where they come from: a bearer token, an HMAC signature over
timestamp and body (our own senders), or Telnyx's Ed25519 signature."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from typing import Optional

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ivr.exceptions import BadRequestSignature, MissingRequestSignature

TIMESTAMP_HEADER = "X-Hotline-Timestamp"
SIGNATURE_HEADER = "X-Hotline-Signature"
TELNYX_TIMESTAMP_HEADER = "telnyx-timestamp"
TELNYX_SIGNATURE_HEADER = "telnyx-signature-ed25519"


def check_bearer_token(authorization: Optional[str], token: Optional[str]) -> None:
    """The `Authorization: Bearer ...` header must carry the configured token."""
    if not token:
        raise BadRequestSignature("this endpoint has no token configured (INTAKE_TOKEN)")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise MissingRequestSignature("Authorization: Bearer <token> is missing")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise BadRequestSignature("the bearer token is wrong")


def _fresh(timestamp: Optional[str], max_age: int, now: Optional[float]) -> int:
    try:
        moment = int(timestamp or "")
    except ValueError:
        raise BadRequestSignature("the timestamp header is missing or not Unix seconds") from None
    if abs((now if now is not None else time.time()) - moment) > max_age:
        raise BadRequestSignature(f"the timestamp is more than {max_age} s away from now")
    return moment


def hmac_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature our senders put in X-Hotline-Signature: `sha256=` + hex HMAC-SHA256
    of `timestamp.body` under the shared secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def check_hmac_signature(secret: Optional[str], timestamp: Optional[str],
                         signature: Optional[str], body: bytes, max_age: int,
                         now: Optional[float] = None) -> None:
    """The request must be signed with the shared secret, and recently."""
    if not secret:
        raise BadRequestSignature("this endpoint has no shared secret configured")
    if not signature:
        raise MissingRequestSignature(f"{SIGNATURE_HEADER} is missing")
    _fresh(timestamp, max_age, now)
    if not hmac.compare_digest(signature.strip().encode(),
                               hmac_signature(secret, timestamp, body).encode()):
        raise BadRequestSignature(f"{SIGNATURE_HEADER} does not match the body")


def check_telnyx_signature(public_key: Optional[str], timestamp: Optional[str],
                           signature: Optional[str], body: bytes, max_age: int,
                           now: Optional[float] = None) -> None:
    """Telnyx signs `timestamp|body` with Ed25519; the key is the account's public key."""
    if not public_key:
        raise BadRequestSignature("no Telnyx public key configured (TELNYX_PUBLIC_KEY)")
    if not signature:
        raise MissingRequestSignature(f"{TELNYX_SIGNATURE_HEADER} is missing")
    _fresh(timestamp, max_age, now)
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(signature), timestamp.encode() + b"|" + body)
    except (InvalidSignature, ValueError, binascii.Error):
        raise BadRequestSignature(f"{TELNYX_SIGNATURE_HEADER} does not match the body") from None
