"""The hall pass: an HMAC-signed, time-bucketed token that proves a phone is in the hall."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime


def _bucket(at: datetime, rotation_seconds: int) -> int:
    return int(at.timestamp()) // rotation_seconds


def _sign(secret: bytes, hall: str, bucket: int) -> str:
    mac = hmac.new(secret, f"pass:{hall}:{bucket}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:12]).decode().rstrip("=")


def make_pass(secret: bytes, hall: str, at: datetime, rotation_seconds: int) -> tuple[str, datetime]:
    """Return the pass for the bucket holding ``at``, and when it stops being accepted."""
    bucket = _bucket(at, rotation_seconds)
    # The previous bucket stays valid, so this pass lives through the next rotation too.
    expires = datetime.fromtimestamp((bucket + 2) * rotation_seconds, tz=at.tzinfo)
    return f"{bucket}.{_sign(secret, hall, bucket)}", expires


def check_pass(secret: bytes, hall: str, token: str, at: datetime, rotation_seconds: int) -> bool:
    """Tell whether a pass is genuine and from the current or the previous bucket."""
    head, _, mac = token.partition(".")
    # isascii(): str.isdigit() also accepts characters such as "²" that int() refuses.
    if not (head.isascii() and head.isdigit()) or not mac or len(token) > 64:
        return False
    bucket = int(head)
    current = _bucket(at, rotation_seconds)
    if bucket not in (current, current - 1):
        return False
    return hmac.compare_digest(mac.encode(), _sign(secret, hall, bucket).encode())


# ASCII digits only: str.isdigit() also accepts characters such as "²" that int() rejects.
PASS_SHAPE = re.compile(r"^[0-9]{1,20}\.[A-Za-z0-9_-]{1,40}$")


def classify_pass(secret: bytes, hall: str, token: str | None, now: datetime,
                  rotation_seconds: int) -> str:
    """Return "valid", "missing", "expired" or "invalid" for a hall pass."""
    if not token:
        return "missing"
    if not PASS_SHAPE.match(token):
        return "invalid"
    if check_pass(secret, hall, token, now, rotation_seconds):
        return "valid"
    bucket = int(token.split(".", 1)[0])
    try:
        minted = datetime.fromtimestamp(bucket * rotation_seconds, tz=now.tzinfo)
    except (OverflowError, OSError, ValueError):
        return "invalid"
    # Genuine when checked at its own bucket's time: then it is only too old (or from the future).
    if minted < now and check_pass(secret, hall, token, minted, rotation_seconds):
        return "expired"
    return "invalid"


def pass_period_start(at: datetime, rotation_seconds: int) -> datetime:
    """Return when the pass period holding ``at`` began."""
    return datetime.fromtimestamp(_bucket(at, rotation_seconds) * rotation_seconds, tz=at.tzinfo)


def _device_mac(secret: bytes, device: str) -> str:
    mac = hmac.new(secret, f"device:{device}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:16]).decode().rstrip("=")


def sign_device(secret: bytes, device: str) -> str:
    """Return the hall_device cookie value for a device id: the id and its HMAC."""
    return f"{device}.{_device_mac(secret, device)}"


DEVICE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{8,40}\.[A-Za-z0-9_-]{16,40}$")


def verified_device(secret: bytes, cookie: str | None) -> str | None:
    """Return the device id of a genuine hall_device cookie, or None for a missing or forged one."""
    if not cookie or not DEVICE_SHAPE.match(cookie):
        return None
    device, _, mac = cookie.partition(".")
    return device if hmac.compare_digest(mac.encode(), _device_mac(secret, device).encode()) else None
