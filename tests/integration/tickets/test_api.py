"""Issuing, reading, cancelling and evaluating tickets over real HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import httpx

from tests.support.http import (
    add_device,
    assert_error,
    bearer,
    hall_state,
    issue,
    kiosk,
    staff,
)
from tests.support.live import Api, LiveServer

TICKET_FIELDS = {"id", "number", "service", "category", "status", "channel", "priority",
                 "issued_at", "ahead", "eta_minutes", "windows", "token", "track_url"}


def post_ticket(client: httpx.Client, headers: dict[str, str] | None, body: dict[str, Any],
                key: str | None = None) -> httpx.Response:
    """POST /api/tickets with optional headers and Idempotency-Key."""
    h = dict(headers or {})
    if key is not None:
        h["Idempotency-Key"] = key
    return client.post("/api/tickets", headers=h, json=body)


def hall_pass(api: Api, headers: dict[str, str]) -> str:
    """Read the current hall pass."""
    r = api.http.get("/api/hall-pass", headers=headers)
    assert r.status_code == 200, r.text
    return str(r.json()["pass"])


def test_kiosk_ticket_has_the_contract_fields(live: LiveServer, api: Api) -> None:
    k = kiosk(api, api.admin())
    t = issue(api, k, "pension-insurance")
    assert set(t) >= TICKET_FIELDS
    assert t["number"] == "A001"
    assert t["service"] == "pension-insurance" and t["category"] == "A"
    assert t["status"] == "waiting" and t["channel"] == "kiosk" and t["priority"] is None
    issued = datetime.fromisoformat(t["issued_at"])
    assert issued.utcoffset() == timedelta(hours=8)
    assert abs((issued - datetime.now(issued.tzinfo)).total_seconds()) < 60
    assert t["ahead"] == 0 and isinstance(t["eta_minutes"], int | float)
    assert t["windows"] and all(isinstance(n, int) and 1 <= n <= 18 for n in t["windows"])
    assert t["track_url"].startswith(live.url)
    assert f"/m/t/{t['id']}" in t["track_url"] and t["token"] in t["track_url"]


def test_numbers_run_from_001_per_category(live: LiveServer, api: Api) -> None:
    k = kiosk(api, api.admin())
    numbers = [issue(api, k, s)["number"] for s in (
        "pension-insurance", "medical-insurance", "subsistence-allowance", "social-security-card",
        "rural-housing", "elderly-care")]
    assert numbers == ["A001", "A002", "B001", "A003", "E001", "B002"]


def test_kiosk_channel_needs_a_kiosk_device_and_refusals_change_nothing(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    clerk = staff(live, api, admin, "clerk1")
    display = bearer(add_device(api, admin, "display").json()["token"])
    pad = bearer(add_device(api, admin, "pad", window=2).json()["token"])
    before = hall_state(api, admin)
    body = {"service": "pension-insurance", "channel": "kiosk"}
    with httpx.Client(base_url=live.url) as anon:
        assert_error(post_ticket(anon, None, body), 401, "unauthorized")
    for who in (clerk, display, pad):
        assert_error(post_ticket(api.http, who, body), 403, "forbidden")
    assert hall_state(api, admin) == before
    assert issue(api, kiosk(api, admin), "pension-insurance")["number"] == "A001"


def test_counter_channel_needs_staff(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    clerk = staff(live, api, admin, "clerk1")
    t = issue(api, clerk, "temporary-relief", channel="counter", priority="elderly")
    assert t["channel"] == "counter" and t["number"] == "B001" and t["priority"] == "elderly"
    body = {"service": "temporary-relief", "channel": "counter"}
    with httpx.Client(base_url=live.url) as anon:
        assert_error(post_ticket(anon, None, body), 401, "unauthorized")
    assert_error(post_ticket(api.http, kiosk(api, admin), body), 403, "forbidden")
    assert issue(api, clerk, "temporary-relief", channel="counter")["number"] == "B002"


def test_hall_pass_is_for_displays_and_staff(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    clerk = staff(live, api, admin, "clerk1")
    display = bearer(add_device(api, admin, "display").json()["token"])
    for who in (display, clerk, admin):
        r = api.http.get("/api/hall-pass", headers=who)
        assert r.status_code == 200, r.text
        body = r.json()
        assert isinstance(body["pass"], str) and body["pass"]
        assert body["pass"] in body["url"] and body["url"].startswith(live.url)
        expires = datetime.fromisoformat(body["expires_at"])
        assert expires.utcoffset() == timedelta(hours=8)
        assert expires > datetime.now(expires.tzinfo)
    assert_error(api.http.get("/api/hall-pass", headers=kiosk(api, admin)), 403, "forbidden")
    with httpx.Client(base_url=live.url) as anon:
        assert_error(anon.get("/api/hall-pass"), 401, "unauthorized")


def test_mobile_ticket_needs_a_valid_pass_in_rotating_mode(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    display = bearer(add_device(api, admin, "display").json()["token"])
    before = hall_state(api, admin)
    with httpx.Client(base_url=live.url) as phone:
        body = {"service": "medical-insurance", "channel": "mobile"}
        assert_error(post_ticket(phone, None, body), 403, "pass_required")
        assert_error(post_ticket(phone, None, {**body, "pass": "123.forged"}), 403,
                     "pass_required")
        assert_error(post_ticket(phone, None, {**body, "pass": ""}), 403, "pass_required")
        assert hall_state(api, admin) == before
        r = post_ticket(phone, None, {**body, "pass": hall_pass(api, display),
                                      "phone": "13800138000"})
        assert r.status_code == 201, r.text
        t = r.json()
        assert t["channel"] == "mobile" and t["number"] == "A001"
    with httpx.Client(base_url=live.url) as phone2:
        r = post_ticket(phone2, None, {"service": "elderly-care", "channel": "mobile",
                                       "pass": hall_pass(api, admin)})
        assert r.status_code == 201, r.text


def test_previous_rotation_pass_is_accepted_and_older_ones_are_not(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    start = datetime.now().astimezone()
    live.runtime.clock = lambda: start
    old = hall_pass(api, admin)
    live.runtime.clock = lambda: start + timedelta(seconds=60)
    with httpx.Client(base_url=live.url) as phone:
        r = post_ticket(phone, None, {"service": "invoice", "channel": "mobile", "pass": old})
        assert r.status_code == 201, r.text
    live.runtime.clock = lambda: start + timedelta(seconds=181)
    with httpx.Client(base_url=live.url) as phone:
        r = post_ticket(phone, None, {"service": "tax-filing", "channel": "mobile", "pass": old})
        assert_error(r, 403, "pass_required")


def test_agent_channel_without_an_agent_and_bad_bodies_are_refused_and_change_nothing(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    clerk = staff(live, api, admin, "clerk1")
    issue(api, k, "pension-insurance")
    before = hall_state(api, admin)
    # The agent channel is for village agents' tokens only (API.md, Tickets).
    assert_error(post_ticket(api.http, clerk, {"service": "pension-insurance",
                                               "channel": "agent"}), 403, "forbidden")
    assert_error(post_ticket(api.http, k, {"service": "no-such-service", "channel": "kiosk"}),
                 422, "invalid")
    assert_error(post_ticket(api.http, k, {"service": "pension-insurance", "channel": "fax"}),
                 422, "invalid")
    assert_error(post_ticket(api.http, k, {"service": "pension-insurance", "channel": "kiosk",
                                           "priority": "vip"}), 422, "invalid")
    assert_error(post_ticket(api.http, k, {"service": "pension-insurance", "channel": "kiosk",
                                           "phone": "12345"}), 422, "invalid")
    assert hall_state(api, admin) == before
    assert issue(api, k, "pension-insurance")["number"] == "A002"


def test_same_idempotency_key_and_body_returns_200_and_the_same_ticket_without_a_new_number(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    body = {"service": "land-registration", "channel": "kiosk"}
    first = post_ticket(api.http, k, body, key="retry-1")
    assert first.status_code == 201
    seq = api.http.get("/api/queue").json()["seq"]
    again = post_ticket(api.http, k, body, key="retry-1")
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"] == "E001"
    assert again.json()["token"] == first.json()["token"]
    assert api.http.get("/api/queue").json()["seq"] == seq  # no ticket.issued event
    assert issue(api, k, "land-registration")["number"] == "E002"


def test_idempotent_replay_returns_the_ticket_in_its_current_state(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    body = {"service": "rural-housing", "channel": "kiosk"}
    t = post_ticket(api.http, k, body, key="k").json()
    assert api.http.post("/api/windows/12/open", headers=admin).status_code == 200
    assert api.http.post("/api/windows/12/call-next", headers=admin).json()["ticket"]["id"] \
        == t["id"]
    again = post_ticket(api.http, k, body, key="k")
    assert again.status_code == 200
    assert again.json()["id"] == t["id"] and again.json()["status"] == "called"


def test_same_idempotency_key_with_a_different_body_is_422_invalid(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    assert post_ticket(api.http, k, {"service": "invoice", "channel": "kiosk"},
                       key="abc").status_code == 201
    before = hall_state(api, admin)
    for body in ({"service": "tax-filing", "channel": "kiosk"},
                 {"service": "invoice", "channel": "kiosk", "priority": "veteran"}):
        assert_error(post_ticket(api.http, k, body, key="abc"), 422, "invalid")
    assert hall_state(api, admin) == before


def test_idempotency_keys_are_scoped_to_the_caller(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k1, k2 = kiosk(api, admin), kiosk(api, admin)
    clerk = staff(live, api, admin, "clerk1")
    body = {"service": "invoice", "channel": "kiosk"}
    a = post_ticket(api.http, k1, body, key="same")
    b = post_ticket(api.http, k2, body, key="same")
    c = post_ticket(api.http, clerk, {**body, "channel": "counter"}, key="same")
    assert (a.status_code, b.status_code, c.status_code) == (201, 201, 201)
    assert len({a.json()["id"], b.json()["id"], c.json()["id"]}) == 3
    assert [x.json()["number"] for x in (a, b, c)] == ["G001", "G002", "G003"]


def test_a_mobile_retry_with_a_newer_pass_is_the_same_body(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    start = datetime.now().astimezone()
    live.runtime.clock = lambda: start
    first_pass = hall_pass(api, admin)
    with httpx.Client(base_url=live.url) as phone:
        body = {"service": "gas-service", "channel": "mobile", "pass": first_pass}
        first = post_ticket(phone, None, body, key="phone-1")
        assert first.status_code == 201, first.text
        live.runtime.clock = lambda: start + timedelta(seconds=60)
        newer = hall_pass(api, admin)
        assert newer != first_pass
        again = post_ticket(phone, None, {**body, "pass": newer}, key="phone-1")
        assert again.status_code == 200, again.text
        assert again.json()["id"] == first.json()["id"]


def test_get_ticket_by_token_and_by_staff(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    clerk = staff(live, api, admin, "clerk1")
    t = issue(api, kiosk(api, admin), "family-planning")
    with httpx.Client(base_url=live.url) as phone:
        r = phone.get(f"/api/tickets/{t['id']}", params={"token": t["token"]})
        assert r.status_code == 200
        assert r.json()["id"] == t["id"] and r.json()["number"] == "H001"
        assert r.json()["token"] == t["token"]
        assert "window" not in r.json() and "call_count" not in r.json()
        assert_error(phone.get(f"/api/tickets/{t['id']}", params={"token": "wrong"}),
                     403, "forbidden")
        assert_error(phone.get("/api/tickets/99999", params={"token": t["token"]}),
                     404, "not_found")
        r = phone.get(f"/api/tickets/{t['id']}")
        assert r.status_code in (401, 403)
        assert "token" not in r.text or t["token"] not in r.text
    r = api.http.get(f"/api/tickets/{t['id']}", headers=clerk)
    assert r.status_code == 200
    assert r.json()["id"] == t["id"]
    assert "token" not in r.json() and t["token"] not in r.text


def test_a_called_ticket_shows_its_window_and_call_times(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    t = issue(api, kiosk(api, admin), "utility-payment")
    assert api.http.post("/api/windows/16/open", headers=admin).status_code == 200
    assert api.http.post("/api/windows/16/call-next", headers=admin).status_code == 200
    api.http.post("/api/windows/16/recall", headers=admin)
    r = api.http.get(f"/api/tickets/{t['id']}", params={"token": t["token"]})
    body = r.json()
    assert body["status"] == "called" and body["window"] == 16 and body["call_count"] == 2
    first = datetime.fromisoformat(body["first_called_at"])
    latest = datetime.fromisoformat(body["called_at"])
    assert first <= latest and first.utcoffset() == timedelta(hours=8)


def test_cancel_a_waiting_ticket_with_its_token_once(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    t = issue(api, kiosk(api, admin), "veterans-benefits")
    with httpx.Client(base_url=live.url) as phone:
        before = hall_state(api, admin)
        assert_error(phone.post(f"/api/tickets/{t['id']}/cancel", params={"token": "nope"}),
                     403, "forbidden")
        assert_error(phone.post(f"/api/tickets/{t['id']}/cancel"), 403, "forbidden")
        assert_error(phone.post("/api/tickets/424242/cancel", params={"token": t["token"]}),
                     404, "not_found")
        assert hall_state(api, admin) == before
        r = phone.post(f"/api/tickets/{t['id']}/cancel", params={"token": t["token"]})
        assert r.status_code == 200, r.text
        assert r.json()["id"] == t["id"] and r.json()["status"] == "cancelled"
        after = hall_state(api, admin)
        assert_error(phone.post(f"/api/tickets/{t['id']}/cancel", params={"token": t["token"]}),
                     409, "ticket_not_waiting")
        assert hall_state(api, admin) == after
    assert api.http.get(f"/api/tickets/{t['id']}", headers=admin).json()["status"] == "cancelled"


def test_a_called_ticket_cannot_be_cancelled(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    t = issue(api, kiosk(api, admin), "veterans-benefits")
    api.http.post("/api/windows/9/open", headers=admin)
    assert api.http.post("/api/windows/9/call-next", headers=admin).status_code == 200
    before = hall_state(api, admin)
    r = api.http.post(f"/api/tickets/{t['id']}/cancel", params={"token": t["token"]})
    assert_error(r, 409, "ticket_not_waiting")
    assert hall_state(api, admin) == before


def test_resident_evaluation_only_after_done_and_only_once(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    t = issue(api, kiosk(api, admin), "disability-certificate")
    url = f"/api/tickets/{t['id']}/evaluation"
    good = {"token": t["token"], "grade": 5, "reasons": ["态度好"], "comment": "很快"}
    assert_error(api.http.post(url, json=good), 409, "ticket_not_done")
    api.http.post("/api/windows/8/open", headers=admin)
    api.http.post("/api/windows/8/call-next", headers=admin)
    assert_error(api.http.post(url, json=good), 409, "ticket_not_done")
    api.http.post("/api/windows/8/start", headers=admin)
    assert_error(api.http.post(url, json=good), 409, "ticket_not_done")
    assert api.http.post("/api/windows/8/finish", headers=admin,
                         json={"outcome": "done"}).status_code == 200
    before = hall_state(api, admin)
    for grade in (0, 6, -1):
        assert_error(api.http.post(url, json={**good, "grade": grade}), 422, "invalid")
    assert_error(api.http.post(url, json={**good, "token": "wrong"}), 403, "forbidden")
    assert_error(api.http.post("/api/tickets/777777/evaluation", json=good), 404, "not_found")
    assert hall_state(api, admin) == before
    r = api.http.post(url, json=good)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["ticket"]["id"] == t["id"] and body["grade"] == 5
    assert_error(api.http.post(url, json={**good, "grade": 1}), 409, "already_evaluated")


def test_ahead_counts_up_by_one_and_eta_grows_for_successive_tickets(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    # Only window 5 is open, so a single window serves the queue one resident at a time.
    assert api.http.post("/api/windows/5/open", headers=admin).status_code == 200
    tickets = [issue(api, k, "pension-insurance") for _ in range(4)]
    assert [t["ahead"] for t in tickets] == [0, 1, 2, 3]
    etas = [t["eta_minutes"] for t in tickets]
    assert etas[0] == 0
    assert all(a < b for a, b in pairwise(etas)), etas
    api.http.post("/api/windows/5/call-next", headers=admin)
    last = api.http.get(f"/api/tickets/{tickets[3]['id']}",
                        params={"token": tickets[3]["token"]}).json()
    assert last["ahead"] == 2


def test_ahead_assumes_every_serving_window_open_before_opening_time(
        live: LiveServer, api: Api) -> None:
    k = kiosk(api, api.admin())
    tickets = [issue(api, k, "medical-insurance") for _ in range(3)]
    assert [t["ahead"] for t in tickets] == [0, 1, 2]
    # With all 18 windows assumed open, three residents are all called at once.
    assert [t["eta_minutes"] for t in tickets] == [0, 0, 0]
    catalog = api.http.get("/api/catalog").json()
    a = next(c for c in catalog["categories"] if c["code"] == "A")
    svc = next(s for s in a["services"] if s["code"] == "medical-insurance")
    assert svc["waiting"] == 3
