"""Window ownership, window states and every action on the current ticket, over real HTTP."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

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

TICKET_ACTIONS = ("recall", "start", "finish", "no-show", "transfer")
A_SERVICES = ["pension-insurance", "medical-insurance", "social-security-card"]


def post(api: Api, headers: dict[str, str], path: str, body: Any = None) -> httpx.Response:
    """POST to the live server."""
    return api.http.post(path, headers=headers, json=body)


def ok(r: httpx.Response, status: int = 200) -> Any:
    """Assert a status and return the JSON body (None for 204)."""
    assert r.status_code == status, r.text
    return r.json() if r.content else None


def action_body(action: str) -> Any:
    """Return a valid body for a window action."""
    return {"transfer": {"service": "invoice"}, "call": {"ticket": 1},
            "finish": {"outcome": "done"}, "pause": {"reason": "午休"}}.get(action)


def window(api: Api, headers: dict[str, str], n: int) -> dict[str, Any]:
    """Return one window from GET /api/windows."""
    rows = ok(api.http.get("/api/windows", headers=headers))
    return dict(next(w for w in rows if w["number"] == n))


def ticket(api: Api, headers: dict[str, str], ticket_id: int) -> dict[str, Any]:
    """Return a ticket through the staff view."""
    return dict(ok(api.http.get(f"/api/tickets/{ticket_id}", headers=headers)))


def queue_ids(api: Api, headers: dict[str, str], n: int) -> list[int]:
    """Return the ids GET /api/windows/{n}/queue lists."""
    return [t["id"] for t in ok(api.http.get(f"/api/windows/{n}/queue", headers=headers))]


def test_window_listing_shows_status_clerk_current_and_profile(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    clerk = staff(live, api, admin, "li", "clerk")
    catalog = ok(api.http.get("/api/catalog"))
    every = {s["code"] for c in catalog["categories"] for s in c["services"]}
    rows = ok(api.http.get("/api/windows", headers=clerk))
    assert [w["number"] for w in rows] == list(range(1, 19))
    for w in rows:
        assert {"number", "name", "status", "clerk", "current", "services", "profile"} <= set(w)
        assert w["status"] == "closed" and w["clerk"] is None and w["current"] is None
        assert set(w["services"]) == {code for tier in w["profile"] for code in tier}
        assert set(w["services"]) == every  # every default window ends with "*"
    w5 = next(w for w in rows if w["number"] == 5)
    assert w5["profile"][0] == A_SERVICES
    with httpx.Client(base_url=live.url) as anon:
        assert_error(anon.get("/api/windows"), 401, "unauthorized")


def test_opening_a_closed_window_signs_the_caller_in_and_reopening_changes_nothing(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    clerk = staff(live, api, admin, "li")
    w = ok(post(api, clerk, "/api/windows/3/open"))
    assert w["number"] == 3 and w["status"] == "open"
    assert w["clerk"] == {"username": "li", "display_name": "li"}
    before = hall_state(api, admin)
    again = ok(post(api, clerk, "/api/windows/3/open"))
    assert again["status"] == "open" and again["clerk"]["username"] == "li"
    assert hall_state(api, admin) == before


def test_a_clerk_holding_a_window_gets_409_conflict_opening_a_second(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    clerk = staff(live, api, admin, "li")
    ok(post(api, clerk, "/api/windows/3/open"))
    before = hall_state(api, admin)
    assert_error(post(api, clerk, "/api/windows/4/open"), 409, "conflict")
    ok(post(api, clerk, "/api/windows/3/pause"))
    assert_error(post(api, clerk, "/api/windows/4/open"), 409, "conflict")
    assert window(api, admin, 4)["status"] == "closed"
    assert before["windows"][3] == (4, "closed", None, None, None, None)
    # Once the first window is closed, the clerk may open another.
    ok(post(api, clerk, "/api/windows/3/close"))
    assert ok(post(api, clerk, "/api/windows/4/open"))["clerk"]["username"] == "li"


def test_a_clerk_gets_403_on_a_window_another_clerk_holds_and_nothing_changes(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    wang = staff(live, api, admin, "wang")
    k = kiosk(api, admin)
    t1 = issue(api, k, "pension-insurance")
    issue(api, k, "pension-insurance")
    ok(post(api, li, "/api/windows/1/open"))
    ok(post(api, li, "/api/windows/1/call-next"))
    before = hall_state(api, admin)
    for action in ("open", "pause", "resume", "close", "call-next", "call", *TICKET_ACTIONS):
        body = {"ticket": t1["id"]} if action == "call" else action_body(action)
        assert_error(post(api, wang, f"/api/windows/1/{action}", body), 403, "forbidden")
    assert hall_state(api, admin) == before
    assert window(api, admin, 1)["clerk"]["username"] == "li"


def test_a_clerk_gets_403_acting_on_a_closed_window_they_do_not_hold(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    issue(api, kiosk(api, admin), "pension-insurance")
    before = hall_state(api, admin)
    for action in ("pause", "resume", "close", "call-next", *TICKET_ACTIONS):
        assert_error(post(api, li, f"/api/windows/2/{action}", action_body(action)),
                     403, "forbidden")
    assert hall_state(api, admin) == before


def test_devices_cannot_act_on_windows(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    pad = bearer(add_device(api, admin, "pad", window=2).json()["token"])
    for action in ("open", "call-next", "pause"):
        assert_error(post(api, pad, f"/api/windows/2/{action}"), 403, "forbidden")
    assert window(api, admin, 2)["status"] == "closed"


def test_authentication_then_window_number_then_ownership(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    with httpx.Client(base_url=live.url) as anon:
        for action in ("open", "pause", "call-next", "recall"):
            assert_error(anon.post(f"/api/windows/99/{action}"), 401, "unauthorized")
            assert_error(anon.post(f"/api/windows/1/{action}"), 401, "unauthorized")
        assert_error(anon.get("/api/windows/1/queue"), 401, "unauthorized")
    for n in (0, 19, 99):
        for action in ("open", "pause", "resume", "close", "call-next", *TICKET_ACTIONS):
            assert_error(post(api, li, f"/api/windows/{n}/{action}", action_body(action)),
                         404, "not_found")
        assert_error(api.http.get(f"/api/windows/{n}/queue", headers=li), 404, "not_found")
    assert_error(post(api, li, "/api/windows/99/call", {"ticket": 1}), 404, "not_found")


def test_pause_resume_and_close_follow_the_state_rules(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    manager = staff(live, api, admin, "boss", "manager")
    ok(post(api, li, "/api/windows/6/open"))
    w = ok(post(api, li, "/api/windows/6/pause", {"reason": "午休"}))
    assert w["status"] == "paused"
    w = ok(post(api, li, "/api/windows/6/resume"))
    assert w["status"] == "open"
    before = hall_state(api, admin)
    w = ok(post(api, li, "/api/windows/6/resume"))  # resume on an open window: no change
    assert w["status"] == "open"
    assert hall_state(api, admin) == before
    ok(post(api, li, "/api/windows/6/pause"))
    w = ok(post(api, li, "/api/windows/6/close"))  # close works from paused
    assert w["status"] == "closed" and w["clerk"] is None
    before = hall_state(api, admin)
    assert_error(post(api, manager, "/api/windows/6/close"), 409, "window_closed")
    assert_error(post(api, manager, "/api/windows/6/resume"), 409, "window_closed")
    assert_error(post(api, manager, "/api/windows/6/pause"), 409, "window_closed")
    assert_error(post(api, manager, "/api/windows/6/call-next"), 409, "window_closed")
    assert hall_state(api, admin) == before
    ok(post(api, li, "/api/windows/6/open"))
    assert ok(post(api, li, "/api/windows/6/close"))["status"] == "closed"  # from open


def test_close_with_a_current_ticket_is_409_window_busy(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    t = issue(api, kiosk(api, admin), "elderly-care")
    ok(post(api, li, "/api/windows/7/open"))
    assert ok(post(api, li, "/api/windows/7/call-next"))["ticket"]["id"] == t["id"]
    before = hall_state(api, admin)
    assert_error(post(api, li, "/api/windows/7/close"), 409, "window_busy")
    assert hall_state(api, admin) == before
    # Pause works while holding a ticket; close is still refused.
    assert ok(post(api, li, "/api/windows/7/pause"))["status"] == "paused"
    assert_error(post(api, li, "/api/windows/7/close"), 409, "window_busy")
    assert_error(post(api, admin, "/api/windows/7/close"), 409, "window_busy")
    # A paused clerk still finishes the resident in front of them, then may close.
    assert ok(post(api, li, "/api/windows/7/finish", {"outcome": "done"}))["ticket"][
        "status"] == "done"
    assert ok(post(api, li, "/api/windows/7/close"))["status"] == "closed"


def test_manager_takeover_emits_window_opened_with_the_new_clerk(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    manager = staff(live, api, admin, "boss", "manager")
    ok(post(api, li, "/api/windows/2/open"))
    seq = ok(api.http.get("/api/queue"))["seq"]
    with connect(f"{live.ws_url}/ws/hall?since={seq}") as ws:
        w = ok(post(api, manager, "/api/windows/2/open"))
        assert w["clerk"]["username"] == "boss" and w["status"] == "open"
        event = json.loads(ws.recv(timeout=10))
    assert event["type"] == "window.opened" and event["window"] == 2
    assert event["seq"] == seq + 1
    assert window(api, admin, 2)["clerk"]["username"] == "boss"
    assert_error(post(api, li, "/api/windows/2/pause"), 403, "forbidden")
    # The displaced clerk no longer holds a window and may open another one.
    assert ok(post(api, li, "/api/windows/3/open"))["clerk"]["username"] == "li"


def test_managers_act_on_any_window(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    manager = staff(live, api, admin, "boss", "manager")
    t = issue(api, kiosk(api, admin), "invoice")
    ok(post(api, li, "/api/windows/14/open"))
    ok(post(api, manager, "/api/windows/14/call-next"))
    assert ok(post(api, manager, "/api/windows/14/start"))["ticket"]["status"] == "serving"
    assert ok(post(api, admin, "/api/windows/14/finish", {"outcome": "deferred"}))["ticket"][
        "id"] == t["id"]
    assert ok(post(api, manager, "/api/windows/14/pause"))["status"] == "paused"
    assert window(api, admin, 14)["clerk"]["username"] == "li"  # pausing is not a takeover


def test_call_next_answers_204_when_nothing_is_waiting_then_calls_then_window_busy(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    ok(post(api, li, "/api/windows/5/open"))
    before = hall_state(api, admin)
    r = post(api, li, "/api/windows/5/call-next")
    assert r.status_code == 204 and r.content == b""
    assert hall_state(api, admin) == before
    t = issue(api, kiosk(api, admin), "social-security-card")
    issue(api, kiosk(api, admin), "social-security-card")
    called = ok(post(api, li, "/api/windows/5/call-next"))["ticket"]
    assert called["id"] == t["id"] and called["status"] == "called"
    assert called["window"] == 5 and called["call_count"] == 1
    assert "token" not in called
    before = hall_state(api, admin)
    assert_error(post(api, li, "/api/windows/5/call-next"), 409, "window_busy")
    assert hall_state(api, admin) == before
    assert window(api, admin, 5)["current"]["id"] == t["id"]


def test_a_paused_window_cannot_call(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    t = issue(api, kiosk(api, admin), "social-security-card")
    ok(post(api, li, "/api/windows/5/open"))
    ok(post(api, li, "/api/windows/5/pause"))
    before = hall_state(api, admin)
    assert_error(post(api, li, "/api/windows/5/call-next"), 409, "window_closed")
    assert_error(post(api, li, "/api/windows/5/call", {"ticket": t["id"]}), 409, "window_closed")
    assert hall_state(api, admin) == before
    ok(post(api, li, "/api/windows/5/resume"))
    assert ok(post(api, li, "/api/windows/5/call-next"))["ticket"]["id"] == t["id"]


def test_call_a_specific_ticket(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    wang = staff(live, api, admin, "wang")
    k = kiosk(api, admin)
    first, second = issue(api, k, "tax-filing"), issue(api, k, "tax-filing")
    ok(post(api, li, "/api/windows/14/open"))
    before = hall_state(api, admin)
    assert_error(post(api, li, "/api/windows/14/call", {"ticket": 999999}), 404, "not_found")
    assert_error(post(api, li, "/api/windows/14/call", {"ticket": "abc"}), 422, "invalid")
    assert hall_state(api, admin) == before
    called = ok(post(api, li, "/api/windows/14/call", {"ticket": second["id"]}))["ticket"]
    assert called["id"] == second["id"] and called["status"] == "called"
    assert_error(post(api, li, "/api/windows/14/call", {"ticket": first["id"]}),
                 409, "window_busy")
    ok(post(api, wang, "/api/windows/13/open"))
    before = hall_state(api, admin)
    assert_error(post(api, wang, "/api/windows/13/call", {"ticket": second["id"]}),
                 409, "ticket_not_waiting")
    assert hall_state(api, admin) == before


def test_a_clerk_cannot_call_a_ticket_designated_to_another_window_but_a_manager_can(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    wang = staff(live, api, admin, "wang")
    manager = staff(live, api, admin, "boss", "manager")
    t = issue(api, kiosk(api, admin), "business-license")
    ok(post(api, li, "/api/windows/13/open"))
    ok(post(api, li, "/api/windows/13/call-next"))
    moved = ok(post(api, li, "/api/windows/13/transfer", {"window": 18}))["ticket"]
    assert moved["status"] == "waiting" and moved["windows"] == [18]
    # Window 1's profile covers every service, but the ticket is designated to window 18.
    ok(post(api, wang, "/api/windows/1/open"))
    before = hall_state(api, admin)
    assert_error(post(api, wang, "/api/windows/1/call", {"ticket": t["id"]}), 403, "forbidden")
    assert hall_state(api, admin) == before
    ok(post(api, manager, "/api/windows/2/open"))
    called = ok(post(api, manager, "/api/windows/2/call", {"ticket": t["id"]}))["ticket"]
    assert called["id"] == t["id"] and called["window"] == 2


def test_actions_without_a_current_ticket_are_409_no_current_ticket(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    ok(post(api, li, "/api/windows/4/open"))
    before = hall_state(api, admin)
    for action in TICKET_ACTIONS:
        assert_error(post(api, li, f"/api/windows/4/{action}", action_body(action)),
                     409, "no_current_ticket")
    assert hall_state(api, admin) == before


def test_recall_start_and_invalid_state(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    t = issue(api, kiosk(api, admin), "temporary-relief")
    ok(post(api, li, "/api/windows/7/open"))
    ok(post(api, li, "/api/windows/7/call-next"))
    recalled = ok(post(api, li, "/api/windows/7/recall"))["ticket"]
    assert recalled["id"] == t["id"] and recalled["status"] == "called"
    assert recalled["call_count"] == 2
    assert ok(post(api, li, "/api/windows/7/recall"))["ticket"]["call_count"] == 3
    started = ok(post(api, li, "/api/windows/7/start"))["ticket"]
    assert started["status"] == "serving"
    before = hall_state(api, admin)
    for action in ("recall", "start", "no-show"):
        assert_error(post(api, li, f"/api/windows/7/{action}"), 409, "invalid_state")
    assert hall_state(api, admin) == before
    assert ticket(api, admin, t["id"])["status"] == "serving"


def test_finish_records_each_outcome(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    k = kiosk(api, admin)
    ok(post(api, li, "/api/windows/17/open"))
    for outcome, start in (("done", True), ("deferred", False), ("proxy", True),
                           ("incomplete", False)):
        t = issue(api, k, "land-contract")
        ok(post(api, li, "/api/windows/17/call-next"))
        if start:
            ok(post(api, li, "/api/windows/17/start"))
        done = ok(post(api, li, "/api/windows/17/finish", {"outcome": outcome}))["ticket"]
        assert done["id"] == t["id"] and done["status"] == "done"
        stored = ticket(api, admin, t["id"])
        assert stored["status"] == "done" and stored["outcome"] == outcome
        assert window(api, admin, 17)["current"] is None
    issue(api, k, "land-contract")
    ok(post(api, li, "/api/windows/17/call-next"))
    before = hall_state(api, admin)
    assert_error(post(api, li, "/api/windows/17/finish", {"outcome": "lost"}), 422, "invalid")
    assert hall_state(api, admin) == before


def test_no_show_ends_a_called_ticket(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    t = issue(api, kiosk(api, admin), "forestry-permit")
    ok(post(api, li, "/api/windows/10/open"))
    ok(post(api, li, "/api/windows/10/call-next"))
    gone = ok(post(api, li, "/api/windows/10/no-show"))["ticket"]
    assert gone["id"] == t["id"] and gone["status"] == "no_show"
    assert window(api, admin, 10)["current"] is None
    assert ticket(api, admin, t["id"])["status"] == "no_show"


def test_transfer_to_a_service_keeps_the_number_and_the_place(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    wang = staff(live, api, admin, "wang")
    k = kiosk(api, admin)
    early = issue(api, k, "pension-insurance")
    later = [issue(api, k, "subsistence-allowance") for _ in range(2)]
    ok(post(api, li, "/api/windows/5/open"))
    assert ok(post(api, li, "/api/windows/5/call-next"))["ticket"]["id"] == early["id"]
    ok(post(api, li, "/api/windows/5/start"))
    moved = ok(post(api, li, "/api/windows/5/transfer", {"service": "subsistence-allowance"}))
    moved_t = moved["ticket"]
    assert moved_t["status"] == "waiting" and moved_t["number"] == "A001"
    assert moved_t["service"] == "subsistence-allowance" and moved_t["category"] == "B"
    assert window(api, admin, 5)["current"] is None
    ok(post(api, wang, "/api/windows/7/open"))
    assert queue_ids(api, wang, 7) == [early["id"], later[0]["id"], later[1]["id"]]
    called = ok(post(api, wang, "/api/windows/7/call-next"))["ticket"]
    assert called["id"] == early["id"] and called["number"] == "A001"
    waiting_b = next(c for c in ok(api.http.get("/api/queue"))["categories"]
                     if c["code"] == "B")["waiting"]
    assert waiting_b == 2


def test_transfer_to_a_window_designates_it_there_in_the_first_tier(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    wang = staff(live, api, admin, "wang")
    zhao = staff(live, api, admin, "zhao")
    k = kiosk(api, admin)
    older = issue(api, k, "medical-insurance")
    moved = issue(api, k, "medical-insurance")
    ok(post(api, li, "/api/windows/1/open"))
    ok(post(api, li, "/api/windows/1/call", {"ticket": moved["id"]}))
    t = ok(post(api, li, "/api/windows/1/transfer", {"window": 12}))["ticket"]
    assert t["status"] == "waiting" and t["number"] == moved["number"] and t["windows"] == [12]
    # Only window 12 sees it; there it is first-tier, ahead of the older "*"-tier ticket.
    assert queue_ids(api, li, 1) == [older["id"]]
    assert queue_ids(api, li, 12) == [moved["id"], older["id"]]
    ok(post(api, wang, "/api/windows/2/open"))
    assert ok(post(api, wang, "/api/windows/2/call-next"))["ticket"]["id"] == older["id"]
    ok(post(api, wang, "/api/windows/2/finish"))
    assert post(api, wang, "/api/windows/2/call-next").status_code == 204
    ok(post(api, zhao, "/api/windows/12/open"))
    got = ok(post(api, zhao, "/api/windows/12/call-next"))["ticket"]
    assert got["id"] == moved["id"] and got["window"] == 12


def test_invalid_transfers_are_422_and_change_nothing(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    issue(api, kiosk(api, admin), "invoice")
    ok(post(api, li, "/api/windows/14/open"))
    ok(post(api, li, "/api/windows/14/call-next"))
    before = hall_state(api, admin)
    for body in ({"service": "nope"}, {"window": 99}, {}, {"service": "invoice", "window": 3}):
        assert_error(post(api, li, "/api/windows/14/transfer", body), 422, "invalid")
    assert hall_state(api, admin) == before


def test_window_queue_lists_tickets_in_call_next_order(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    k = kiosk(api, admin)
    services = ["invoice", "pension-insurance", "rural-housing", "medical-insurance",
                "elderly-care", "pension-insurance", "tax-filing", "social-security-card"]
    for i, s in enumerate(services):
        issue(api, k, s, **({"priority": "elderly"} if i == 6 else {}))
    ok(post(api, li, "/api/windows/5/open"))
    listed = queue_ids(api, li, 5)
    assert len(listed) == len(services)
    served = []
    while True:
        r = post(api, li, "/api/windows/5/call-next")
        if r.status_code == 204:
            break
        served.append(ok(r)["ticket"]["id"])
        ok(post(api, li, "/api/windows/5/finish", {"outcome": "done"}))
    assert served == listed
    # Window 5 takes its first tier (category A) first, then the rest.
    numbers = [ticket(api, admin, i)["number"] for i in served]
    assert [n[0] for n in numbers[:4]] == ["A"] * 4


def test_pad_evaluates_the_last_ticket_its_window_finished(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    pad3 = bearer(add_device(api, admin, "pad", window=3).json()["token"])
    pad4 = bearer(add_device(api, admin, "pad", window=4).json()["token"])
    k = kiosk(api, admin)
    body = {"grade": 4, "reasons": ["耐心"], "comment": "好"}
    ok(post(api, li, "/api/windows/3/open"))
    assert_error(post(api, pad3, "/api/windows/3/evaluation", body), 409, "ticket_not_done")
    t = issue(api, k, "gas-service")
    ok(post(api, li, "/api/windows/3/call-next"))
    ok(post(api, li, "/api/windows/3/finish", {"outcome": "done"}))
    before = hall_state(api, admin)
    assert_error(post(api, pad4, "/api/windows/3/evaluation", body), 403, "forbidden")
    assert_error(post(api, k, "/api/windows/3/evaluation", body), 403, "forbidden")
    assert_error(post(api, pad3, "/api/windows/3/evaluation", {"grade": 9}), 422, "invalid")
    with httpx.Client(base_url=live.url) as anon:
        assert_error(anon.post("/api/windows/3/evaluation", json=body), 401, "unauthorized")
    assert hall_state(api, admin) == before
    r = ok(post(api, pad3, "/api/windows/3/evaluation", body), 201)
    assert r["ticket"]["id"] == t["id"] and r["grade"] == 4
    assert r["reasons"] == ["耐心"] and r["comment"] == "好"
    assert "token" not in r["ticket"]
    assert_error(post(api, pad3, "/api/windows/3/evaluation", body), 409, "already_evaluated")
    r = api.http.post(f"/api/tickets/{t['id']}/evaluation", json={"token": t["token"],
                                                                   "grade": 3})
    assert_error(r, 409, "already_evaluated")


def test_window_evaluation_by_the_clerk_holding_it_and_by_a_manager(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    wang = staff(live, api, admin, "wang")
    manager = staff(live, api, admin, "boss", "manager")
    k = kiosk(api, admin)
    ok(post(api, li, "/api/windows/15/open"))
    issue(api, k, "family-planning")
    ok(post(api, li, "/api/windows/15/call-next"))
    ok(post(api, li, "/api/windows/15/finish"))
    assert_error(post(api, wang, "/api/windows/15/evaluation", {"grade": 5}), 403, "forbidden")
    assert ok(post(api, li, "/api/windows/15/evaluation", {"grade": 5}), 201)["grade"] == 5
    issue(api, k, "family-planning")
    ok(post(api, li, "/api/windows/15/call-next"))
    ok(post(api, li, "/api/windows/15/finish"))
    assert ok(post(api, manager, "/api/windows/15/evaluation", {"grade": 2}), 201)["grade"] == 2


def test_window_evaluation_expires_ten_minutes_after_the_finish(
        live: LiveServer, api: Api) -> None:
    start = datetime.now().astimezone()
    live.runtime.clock = lambda: start
    admin = api.admin()
    li = staff(live, api, admin, "li")
    pad = bearer(add_device(api, admin, "pad", window=16).json()["token"])
    issue(api, kiosk(api, admin), "utility-payment")
    ok(post(api, li, "/api/windows/16/open"))
    ok(post(api, li, "/api/windows/16/call-next"))
    ok(post(api, li, "/api/windows/16/finish"))
    live.runtime.clock = lambda: start + timedelta(minutes=10, seconds=30)
    before = hall_state(api, admin)
    assert_error(post(api, pad, "/api/windows/16/evaluation", {"grade": 5}),
                 409, "ticket_not_done")
    assert hall_state(api, admin) == before
    live.runtime.clock = lambda: start + timedelta(minutes=9)
    assert ok(post(api, pad, "/api/windows/16/evaluation", {"grade": 5}), 201)["grade"] == 5


@pytest.mark.server(db="both")
def test_a_ticket_lifecycle_on_sqlite_and_postgresql(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    k = kiosk(api, admin)
    a, b = issue(api, k, "pension-insurance"), issue(api, k, "pension-insurance")
    assert (a["number"], b["number"]) == ("A001", "A002")
    ok(post(api, li, "/api/windows/5/open"))
    assert_error(post(api, li, "/api/windows/6/open"), 409, "conflict")
    assert ok(post(api, li, "/api/windows/5/call-next"))["ticket"]["id"] == a["id"]
    assert_error(post(api, li, "/api/windows/5/call-next"), 409, "window_busy")
    assert ok(post(api, li, "/api/windows/5/recall"))["ticket"]["call_count"] == 2
    ok(post(api, li, "/api/windows/5/start"))
    ok(post(api, li, "/api/windows/5/transfer", {"service": "invoice"}))
    assert ok(post(api, li, "/api/windows/5/call-next"))["ticket"]["id"] == b["id"]
    ok(post(api, li, "/api/windows/5/finish", {"outcome": "proxy"}))
    assert ok(post(api, li, "/api/windows/5/call-next"))["ticket"]["id"] == a["id"]
    ok(post(api, li, "/api/windows/5/no-show"))
    assert post(api, li, "/api/windows/5/call-next").status_code == 204
    assert ok(post(api, li, "/api/windows/5/close"))["status"] == "closed"
    assert ticket(api, admin, a["id"])["status"] == "no_show"
    assert ticket(api, admin, b["id"])["outcome"] == "proxy"
