"""A card holder's identity: the kiosk's short-lived opaque token, and the applicant sealed on a ticket.

Both are AES-256-GCM (authenticated encryption) under keys derived with HKDF-SHA256 from the
server's secret, one key per purpose, so a token can never be read as a sealed ticket field or the
other way round. The hall's code is authenticated with every ciphertext: another hall's server
process holds the same secret, and it refuses the token all the same (docs/decisions.md).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from queue_server.core.errors import Invalid
from queue_server.domain.privacy import mask_id_number

# How long a card read at a kiosk stays usable unless the caller says (HALL_IDENTITY_TTL_SECONDS).
IDENTITY_TTL = timedelta(minutes=10)
_TOKEN_PREFIX = "id1."
_SEALED_PREFIX = "s1."
_NONCE = 12


class IdentityError(Invalid):
    """An identity token that is forged, expired, another hall's or another kiosk's (422 invalid)."""


@dataclass(frozen=True)
class CardHolder:
    """A resident as their ID card names them."""

    name: str
    id_number: str

    @property
    def masked_id(self) -> str:
        """Return the ID number masked as on cases (510823********1234)."""
        return mask_id_number(self.id_number) or ""


@lru_cache(maxsize=64)
def _key(secret: bytes, purpose: bytes) -> AESGCM:
    material = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)
    return AESGCM(material)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _seal(key: AESGCM, plain: dict[str, object], aad: bytes) -> str:
    nonce = os.urandom(_NONCE)
    data = json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()
    return _b64(nonce + key.encrypt(nonce, data, aad))


def _open(key: AESGCM, text: str, aad: bytes) -> dict[str, object] | None:
    try:
        raw = _unb64(text)
        if len(raw) <= _NONCE + 16:
            return None
        plain = json.loads(key.decrypt(raw[:_NONCE], raw[_NONCE:], aad))
    except (InvalidTag, ValueError, binascii.Error, UnicodeDecodeError):
        return None
    return plain if isinstance(plain, dict) else None


def issue_token(secret: bytes, *, hall: str, device: int, holder: CardHolder, now: datetime,
                ttl: timedelta = IDENTITY_TTL) -> str:
    """Return the opaque identity a kiosk puts on the tickets it issues for this card holder."""
    key = _key(secret, b"hall kiosk identity v1")
    expires = int((now + ttl).timestamp())
    body = {"d": device, "n": holder.name, "i": holder.id_number, "x": expires}
    return _TOKEN_PREFIX + _seal(key, body, f"identity|{hall}".encode())


def open_token(secret: bytes, token: str, *, hall: str, device: int | None, now: datetime) -> CardHolder:
    """Return the card holder of a kiosk's identity token, or refuse it with a Chinese reason."""
    if not token.startswith(_TOKEN_PREFIX):
        raise IdentityError("身份信息无效，请重新放置身份证")
    body = _open(_key(secret, b"hall kiosk identity v1"), token[len(_TOKEN_PREFIX):], f"identity|{hall}".encode())
    if body is None or not isinstance(body.get("n"), str) or not isinstance(body.get("i"), str):
        raise IdentityError("身份信息无效（可能属于其他大厅），请重新放置身份证")
    if body.get("d") != device:
        raise IdentityError("身份信息来自另一台取号机，请在本机重新放置身份证")
    expires = body.get("x")
    if not isinstance(expires, int) or now.timestamp() > expires:
        raise IdentityError("身份信息已过期，请重新放置身份证")
    return CardHolder(str(body["n"]), str(body["i"]))


def seal_holder(secret: bytes, *, hall: str, holder: CardHolder) -> str:
    """Return a card holder encrypted for storage on a ticket row (never in clear in the database)."""
    key = _key(secret, b"hall ticket applicant v1")
    return _SEALED_PREFIX + _seal(key, {"n": holder.name, "i": holder.id_number}, f"ticket|{hall}".encode())


def unseal_holder(secret: bytes, *, hall: str, sealed: str | None) -> CardHolder | None:
    """Return the card holder sealed on a ticket, or None (none, erased, or the secret changed since)."""
    if not sealed or not sealed.startswith(_SEALED_PREFIX):
        return None
    body = _open(_key(secret, b"hall ticket applicant v1"), sealed[len(_SEALED_PREFIX):], f"ticket|{hall}".encode())
    if body is None or not isinstance(body.get("n"), str) or not isinstance(body.get("i"), str):
        return None
    return CardHolder(str(body["n"]), str(body["i"]))
