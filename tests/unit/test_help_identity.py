"""The card holder's opaque identity and the sealed ticket field: round trips and every refusal."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from queue_server.appointments.service import id_number_digest
from queue_server.tickets.identity import (
    IDENTITY_TTL,
    CardHolder,
    IdentityError,
    issue_token,
    open_token,
    seal_holder,
    unseal_holder,
)

SECRET = b"a-server-secret"
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
HOLDER = CardHolder("王秀英", "510823194803125621")


def token(**kw: object) -> str:
    args: dict[str, object] = {"hall": "puan", "device": 7, "holder": HOLDER, "now": NOW} | kw
    return issue_token(SECRET, **args)  # type: ignore[arg-type]


def test_a_token_opens_to_its_holder_until_it_expires() -> None:
    t = token()
    assert open_token(SECRET, t, hall="puan", device=7, now=NOW) == HOLDER
    assert open_token(SECRET, t, hall="puan", device=7, now=NOW + IDENTITY_TTL) == HOLDER
    with pytest.raises(IdentityError, match="过期"):
        open_token(SECRET, t, hall="puan", device=7, now=NOW + IDENTITY_TTL + timedelta(seconds=1))
    assert HOLDER.id_number not in t and "王" not in t
    assert token() != t  # a fresh nonce each time: two reads of one card do not link


def test_the_lifetime_is_the_callers_setting() -> None:
    short = token(ttl=timedelta(seconds=30))
    assert open_token(SECRET, short, hall="puan", device=7, now=NOW + timedelta(seconds=30)) == HOLDER
    with pytest.raises(IdentityError, match="过期"):
        open_token(SECRET, short, hall="puan", device=7, now=NOW + timedelta(seconds=31))


@pytest.mark.parametrize(("change", "reason"), [
    ({"hall": "xiasi"}, "其他大厅"), ({"device": 8}, "另一台取号机"), ({"secret": b"another-secret"}, "其他大厅"),
])
def test_a_token_is_refused_by_another_hall_kiosk_or_key(change: dict[str, object], reason: str) -> None:
    t = token()
    where: dict[str, object] = {"hall": "puan", "device": 7} | {k: v for k, v in change.items() if k != "secret"}
    secret = change.get("secret", SECRET)
    with pytest.raises(IdentityError, match=reason):
        open_token(secret, t, now=NOW, **where)  # type: ignore[arg-type]


def test_a_tampered_or_foreign_string_is_refused_not_crashed() -> None:
    t = token()
    # A character in the middle: the last base64 character may carry padding bits the decoder
    # ignores, so changing it can leave the bytes (and the token) as they were.
    mid = len(t) // 2
    tampered = t[:mid] + ("A" if t[mid] != "A" else "B") + t[mid + 1:]
    for bad in (tampered, t[:20], "id1.", "id1.!!!!", "id1." + "A" * 40, "", "xyz"):
        with pytest.raises(IdentityError):
            open_token(SECRET, bad, hall="puan", device=7, now=NOW)


def test_the_sealed_field_and_the_token_use_separate_keys() -> None:
    sealed = seal_holder(SECRET, hall="puan", holder=HOLDER)
    assert unseal_holder(SECRET, hall="puan", sealed=sealed) == HOLDER
    assert unseal_holder(SECRET, hall="xiasi", sealed=sealed) is None
    assert unseal_holder(b"rotated", hall="puan", sealed=sealed) is None
    assert unseal_holder(SECRET, hall="puan", sealed=None) is None
    # Neither can be passed off as the other.
    assert unseal_holder(SECRET, hall="puan", sealed="s1." + token().removeprefix("id1.")) is None
    with pytest.raises(IdentityError):
        open_token(SECRET, "id1." + sealed.removeprefix("s1."), hall="puan", device=7, now=NOW)
    assert HOLDER.masked_id == "510823********5621"


def test_the_appointment_digest_is_keyed_and_per_hall() -> None:
    digest = id_number_digest(SECRET, "puan", HOLDER.id_number)
    assert len(digest) == 64 and digest == id_number_digest(SECRET, "puan", HOLDER.id_number)
    assert digest != id_number_digest(SECRET, "xiasi", HOLDER.id_number)
    assert digest != id_number_digest(b"other", "puan", HOLDER.id_number)
    assert digest != hashlib.sha256(HOLDER.id_number.encode()).hexdigest()
