"""Every route of one hall that needs a user or a device refuses another hall's, found from /openapi.json."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.cases import applicant
from tests.support.live import Api, LiveServer

ROLES = ("clerk", "manager", "admin", "agent")
# Bodies for the routes that check their body before who is asking (issuing checks the service first).
BODIES: dict[str, dict[str, Any]] = {"POST /api/tickets": {"service": "invoice", "channel": "kiosk"}}
DEVICES = ("kiosk", "display", "pad")


@pytest.fixture
def county(any_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "var", any_db).start()
    yield live
    live.stop()


def _principals(api: Api, admin: dict[str, str]) -> dict[str, dict[str, str]]:
    """Return headers for a user of every role and a device of every kind of the default hall."""
    out: dict[str, dict[str, str]] = {}
    for role in ROLES:
        body: dict[str, Any] = {"username": f"a-{role}", "password": "password-123", "role": role}
        if role == "agent":
            body["station"] = "V01"
        assert api.http.post("/api/admin/users", headers=admin, json=body).status_code == 201
        out[role] = {"Authorization": "Bearer " + api.login(f"a-{role}", "password-123")}
    for kind in DEVICES:
        body = {"name": f"a-{kind}", "kind": kind, **({"window": 1} if kind == "pad" else {})}
        r = api.http.post("/api/admin/devices", headers=admin, json=body)
        assert r.status_code == 201, r.text
        out[kind] = {"Authorization": "Bearer " + r.json()["token"]}
    return out


def _hall_b_ids(b: Api, admin: dict[str, str]) -> dict[str, str]:
    """Make one of everything in hall B, so that each route reaches its authorisation with a real id."""
    kiosk = b.http.post("/api/admin/devices", headers=admin, json={"name": "k", "kind": "kiosk"}).json()
    ticket = b.issue({"Authorization": "Bearer " + kiosk["token"]}, "invoice")
    case = b.http.post("/api/cases", headers=admin, json={"matter": "M002", "applicant": applicant()}).json()
    item = b.http.post("/api/feedback", json={"kind": "cannot_do", "description": "办不成"}).json()
    r = b.http.post("/api/admin/users", headers=admin, json={
        "username": "b-clerk", "password": "password-123", "role": "clerk"})
    assert r.status_code == 201, r.text
    return {"number": "1", "case_id": str(case["id"]), "item_id": str(item["id"]), "ticket_id": str(ticket["id"]),
            "help_id": "1", "username": "b-clerk", "appointment_id": "1", "device_id": str(kiosk["id"]),
            "code": "123456",
            "year": "2027"}


def _operations(client: httpx.Client) -> list[tuple[str, str]]:
    spec = client.get("/openapi.json").json()
    out = []
    for path, methods in spec["paths"].items():
        if not path.startswith("/api/") or path.startswith("/api/county/") or path == "/api/auth/login":
            continue  # county routes belong to no hall; everyone logs in at the same place
        out += [(method.upper(), path) for method in methods]
    return out


def test_every_route_that_needs_a_user_or_device_refuses_another_halls_with_403(county: LiveServer) -> None:
    api = Api(county.url)
    admin = api.admin()
    assert api.http.post("/api/county/halls", headers=admin, json={"code": "hall-b", "name": "乙镇"}).status_code == 201
    b = Api(f"{county.url}/h/hall-b")
    ids = _hall_b_ids(b, admin)
    foreign = _principals(api, admin)
    needing, checked = [], 0
    for method, path in _operations(api.http):
        url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
        body = BODIES.get(f"{method} {path}", {})
        anonymous = b.http.request(method, url, json=body)
        if anonymous.status_code != 401:
            continue  # public, or answered before anyone's identity matters
        if b.http.request(method, url, headers=admin, json=body).status_code == 401:
            continue  # a resident's token, not a user or device, is what it needs
        needing.append(f"{method} {path}")
        for who, headers in foreign.items():
            r = b.http.request(method, url, headers=headers, json=body)
            checked += 1
            assert r.status_code == 403, f"{who} of another hall on {method} {path}: {r.status_code} {r.text}"
            assert r.json()["error"]["code"] == "forbidden"
    # The walk reached the staff, device and agent routes of every domain.
    assert len(needing) >= 50, needing
    for expected in ("POST /api/windows/{number}/call-next", "POST /api/tickets", "GET /api/stats/summary",
                     "POST /api/cases/{case_id}/complete", "POST /api/devices/status", "GET /api/hall-pass",
                     "POST /api/admin/users", "GET /api/feedback"):
        assert expected in needing, expected
    assert checked == len(needing) * len(foreign)
    # The same principals in their own hall are not refused for being elsewhere.
    assert api.http.get("/api/windows", headers=foreign["clerk"]).status_code == 200
    assert api.http.get("/api/hall-pass", headers=foreign["display"]).status_code == 200
    api.close()
    b.close()
