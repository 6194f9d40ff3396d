"""Helpers for tests that talk to a live server over HTTP and websockets."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.support.live import Api, LiveServer

PASSWORD = "password-123"


def assert_error(r: httpx.Response, status: int, code: str) -> None:
    """Assert the contract's error shape with a given status and code."""
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def bearer(token: str) -> dict[str, str]:
    """Return bearer headers."""
    return {"Authorization": "Bearer " + token}


def login(live: LiveServer, username: str, password: str) -> httpx.Response:
    """Log in from a fresh client, so no earlier cookie rides along.

    The timeout is the Api client's: a password hash on a machine shared with other suites can
    take seconds, and httpx's default of 5 s made logins fail at set-up under load.
    """
    with httpx.Client(base_url=live.url, timeout=30) as client:
        return client.post("/api/auth/login", json={"username": username, "password": password})


def add_user(api: Api, admin: dict[str, str], username: str, role: str = "clerk",
             display_name: str = "") -> httpx.Response:
    """Create a user with the admin's headers."""
    return api.http.post("/api/admin/users", headers=admin, json={
        "username": username, "password": PASSWORD, "role": role,
        "display_name": display_name or username})


def staff(live: LiveServer, api: Api, admin: dict[str, str], username: str,
          role: str = "clerk") -> dict[str, str]:
    """Create a user and return their bearer headers."""
    assert add_user(api, admin, username, role).status_code == 201
    r = login(live, username, PASSWORD)
    assert r.status_code == 200, r.text
    return bearer(r.json()["token"])


def add_device(api: Api, admin: dict[str, str], kind: str, window: int | None = None,
               name: str = "") -> httpx.Response:
    """Register a device with the admin's headers."""
    body: dict[str, Any] = {"name": name or f"{kind}-device", "kind": kind}
    if window is not None:
        body["window"] = window
    return api.http.post("/api/admin/devices", headers=admin, json=body)


def kiosk(api: Api, admin: dict[str, str]) -> dict[str, str]:
    """Register a kiosk and return its bearer headers."""
    r = add_device(api, admin, "kiosk")
    assert r.status_code == 201, r.text
    return bearer(r.json()["token"])


def issue(api: Api, headers: dict[str, str], service: str, channel: str = "kiosk",
          **extra: Any) -> dict[str, Any]:
    """Issue a ticket that must be accepted, and return it."""
    r = api.http.post("/api/tickets", headers=headers,
                      json={"service": service, "channel": channel, **extra})
    assert r.status_code == 201, r.text
    return dict(r.json())


def hall_state(api: Api, staff_headers: dict[str, str]) -> dict[str, Any]:
    """Return what a refused request must not change: seq, windows and ticket states."""
    queue = api.http.get("/api/queue").json()
    windows = api.http.get("/api/windows", headers=staff_headers).json()
    return {
        "seq": queue["seq"],
        "categories": [(c["code"], c["waiting"]) for c in queue["categories"]],
        "windows": [(w["number"], w["status"], w["clerk"], (w["current"] or {}).get("id"),
                     (w["current"] or {}).get("status"), (w["current"] or {}).get("call_count"))
                    for w in windows],
        "queues": {n: [t["id"] for t in api.http.get(f"/api/windows/{n}/queue",
                                                     headers=staff_headers).json()]
                   for n in (1, 5, 12)},
    }


def assert_refused(url: str) -> None:
    """Assert the ticket socket refuses the handshake (403) or closes with 1008 before data."""
    try:
        with connect(url) as ws:
            try:
                message = ws.recv(timeout=5)
            except ConnectionClosed as exc:
                assert exc.rcvd is not None and exc.rcvd.code == 1008, exc
                return
            pytest.fail(f"ticket data sent to a wrong token: {message!r}")
    except InvalidStatus as exc:
        assert exc.response.status_code == 403


def recv(ws: ClientConnection, timeout: float = 10) -> dict[str, Any]:
    """Receive one JSON message."""
    return dict(json.loads(ws.recv(timeout=timeout)))


def next_of(ws: ClientConnection, kind: str) -> dict[str, Any]:
    """Receive messages until one of the given type arrives."""
    while True:
        message = recv(ws)
        if message["type"] == kind:
            return message
