"""A resident's phone against a live server: the hall pass on the board, the /m cookie, phone tickets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from queue_server.domain.passes import make_pass
from tests.support.live import LiveServer

SECRET = b"test-secret"  # what LiveServer sets the secret key to
HALL = "puan"


def hall_pass(live: LiveServer, ago: int = 0, secret: bytes = SECRET, hall: str = HALL) -> str:
    """Return the pass the board showed ``ago`` seconds before the server's now."""
    token, _ = make_pass(secret, hall, live.runtime.clock() - timedelta(seconds=ago), 60)
    return token


def mobile(live: LiveServer, service: str, *, pass_: str | None = None, phone: str | None = None,
           cookie: str | None = None, key: str | None = None) -> httpx.Response:
    """Ask for a phone ticket as a fresh HTTP client: only the cookie given is sent."""
    body: dict[str, Any] = {"service": service, "channel": "mobile"}
    if pass_ is not None:
        body["pass"] = pass_
    if phone is not None:
        body["phone"] = phone
    headers = {"Cookie": f"hall_device={cookie}"} if cookie else {}
    if key:
        headers["Idempotency-Key"] = key
    return httpx.post(f"{live.url}/api/tickets", json=body, headers=headers, timeout=30)


def phone_ticket(live: LiveServer, service: str, *, cookie: str | None = None,
                 key: str | None = None) -> httpx.Response:
    """Ask for a phone ticket with the pass the board shows now."""
    return mobile(live, service, pass_=hall_pass(live), cookie=cookie, key=key)


def phone_cookie(live: LiveServer) -> str:
    """Open /m from the board's QR code as a new phone; return the signed device cookie it gets."""
    r = httpx.get(f"{live.url}/m", params={"pass": hall_pass(live)})
    value = r.cookies.get("hall_device")
    assert r.status_code == 200 and value, "opening /m?pass= sets the hall_device cookie"
    assert "httponly" in r.headers["set-cookie"].lower()
    return str(value)


def waiting(live: LiveServer) -> int:
    """Return how many tickets the board shows waiting, over all categories."""
    data = httpx.get(f"{live.url}/api/queue").json()
    return sum(int(c["waiting"]) for c in data["categories"])
