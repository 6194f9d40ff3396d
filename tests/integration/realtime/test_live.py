"""Live state: GET /api/queue, WS /ws/hall and WS /ws/tickets/{id}, over real sockets."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.support.http import (
    add_device,
    assert_error,
    assert_refused,
    bearer,
    issue,
    kiosk,
    next_of,
    recv,
    staff,
)
from tests.support.live import Api, LiveServer

EVENT_KEYS = {"type", "seq", "at", "ticket", "window"}
BRIEF_KEYS = {"id", "number", "service", "category", "status", "window"}


def assert_silent(ws: ClientConnection, wait: float = 0.7) -> None:
    """Assert that nothing more arrives for a little while."""
    try:
        message = ws.recv(timeout=wait)
    except TimeoutError:
        return
    pytest.fail(f"unexpected message: {message!r}")


def post(api: Api, headers: dict[str, str], path: str, body: Any = None) -> httpx.Response:
    """POST and require success."""
    r = api.http.post(path, headers=headers, json=body)
    assert r.status_code in (200, 201, 204), r.text
    return r


def seq_now(api: Api) -> int:
    """Return the seq GET /api/queue reports."""
    return int(api.http.get("/api/queue").json()["seq"])


def test_queue_has_the_contract_shape(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    k = kiosk(api, admin)
    t = issue(api, k, "pension-insurance")
    issue(api, k, "pension-insurance")
    issue(api, k, "rural-housing")
    post(api, li, "/api/windows/5/open")
    post(api, li, "/api/windows/5/call-next")
    r = api.http.get("/api/queue")
    assert r.status_code == 200
    q = r.json()
    assert isinstance(q["seq"], int) and q["seq"] >= 5
    assert [w["number"] for w in q["windows"]] == list(range(1, 19))
    for w in q["windows"]:
        assert {"number", "name", "status", "current"} <= set(w)
    w5 = q["windows"][4]
    assert w5["status"] == "open" and w5["current"] == {"number": t["number"],
                                                          "status": "called"}
    assert q["windows"][0]["status"] == "closed" and q["windows"][0]["current"] is None
    cats = {c["code"]: c for c in q["categories"]}
    assert set(cats) == {"A", "B", "C", "D", "E", "F", "G", "H"}
    for c in q["categories"]:
        assert {"code", "name", "waiting", "eta_minutes"} <= set(c)
    assert cats["A"]["waiting"] == 1 and cats["E"]["waiting"] == 1 and cats["B"]["waiting"] == 0
    assert q["recent_calls"] == [{"number": t["number"], "window": 5,
                                  "at": q["recent_calls"][0]["at"]}]


def test_recent_calls_hold_the_last_ten_calls_and_recalls_newest_first(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    k = kiosk(api, admin)
    post(api, li, "/api/windows/1/open")
    announced = []
    for _ in range(6):
        t = issue(api, k, "invoice")
        post(api, li, "/api/windows/1/call-next")
        post(api, li, "/api/windows/1/recall")
        post(api, li, "/api/windows/1/finish")
        announced += [t["number"], t["number"]]
    recent = api.http.get("/api/queue").json()["recent_calls"]
    assert [c["number"] for c in recent] == list(reversed(announced))[:10]
    assert all(c["window"] == 1 for c in recent)
    ats = [c["at"] for c in recent]
    assert ats == sorted(ats, reverse=True)


def test_live_state_never_carries_phone_numbers_names_or_tokens(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    r = api.http.post("/api/admin/users", headers=admin, json={
        "username": "wangxm", "password": "password-123", "role": "clerk",
        "display_name": "王小明"})
    assert r.status_code == 201
    clerk = bearer(api.http.post("/api/auth/login", json={
        "username": "wangxm", "password": "password-123"}).json()["token"])
    with connect(f"{live.ws_url}/ws/hall") as ws:
        snapshot = ws.recv(timeout=10)
        t1 = issue(api, clerk, "pension-insurance", channel="counter", phone="13912345678")
        t2 = issue(api, clerk, "pension-insurance", channel="counter", phone="13712345679")
        post(api, clerk, "/api/windows/5/open")
        post(api, clerk, "/api/windows/5/call-next")
        post(api, clerk, "/api/windows/5/recall")
        frames = [snapshot] + [ws.recv(timeout=10) for _ in range(5)]
    texts = [*map(str, frames), api.http.get("/api/queue").text]
    for text in texts:
        for secret in ("13912345678", "13712345679", "139****5678", "****", "王小明", "wangxm",
                       t1["token"], t2["token"], "phone", "clerk"):
            assert secret not in text, (secret, text)


def test_hall_socket_starts_with_a_snapshot_then_every_event_in_seq_order(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    k = kiosk(api, admin)
    pad = bearer(add_device(api, admin, "pad", window=5).json()["token"])
    issue(api, k, "medical-insurance")
    queue = api.http.get("/api/queue").json()
    with connect(f"{live.ws_url}/ws/hall") as ws:
        snap = recv(ws)
        assert snap["type"] == "snapshot"
        assert snap["seq"] == queue["seq"]
        assert {"windows", "categories", "recent_calls"} <= set(snap)
        assert snap["windows"] == queue["windows"]
        steps: list[tuple[str, str, Any]] = [
            ("window.opened", "/api/windows/5/open", None),
            ("ticket.called", "/api/windows/5/call-next", None),
            ("ticket.recalled", "/api/windows/5/recall", None),
            ("ticket.started", "/api/windows/5/start", None),
            ("ticket.finished", "/api/windows/5/finish", {"outcome": "done"}),
            ("ticket.evaluated", "/api/windows/5/evaluation", {"grade": 5}),
            ("ticket.issued", "issue", None),
            ("ticket.called", "/api/windows/5/call-next", None),
            ("ticket.no_show", "/api/windows/5/no-show", None),
            ("ticket.issued", "issue", None),
            ("ticket.called", "/api/windows/5/call-next", None),
            ("ticket.transferred", "/api/windows/5/transfer", {"service": "invoice"}),
            ("ticket.issued", "issue", None),
            ("ticket.cancelled", "cancel", None),
            ("window.paused", "/api/windows/5/pause", {"reason": "break"}),
            ("window.resumed", "/api/windows/5/resume", None),
            ("window.closed", "/api/windows/5/close", None),
        ]
        last_ticket: dict[str, Any] = {}
        expected_seq = snap["seq"]
        for kind, path, body in steps:
            if path == "issue":
                last_ticket = issue(api, k, "pension-insurance")
            elif path == "cancel":
                r = api.http.post(f"/api/tickets/{last_ticket['id']}/cancel",
                                  params={"token": last_ticket["token"]})
                assert r.status_code == 200
            else:
                post(api, pad if "evaluation" in path else li, path, body)
            event = recv(ws)
            expected_seq += 1
            assert event["type"] == kind, (kind, event)
            assert event["seq"] == expected_seq, event
            assert set(event) >= EVENT_KEYS
            if kind.startswith("window."):
                assert event["window"] == 5
            else:
                assert set(event["ticket"]) >= BRIEF_KEYS
            if kind == "ticket.called":
                assert event["ticket"]["status"] == "called" and event["window"] == 5
                assert event["ticket"]["window"] == 5
            if kind == "ticket.issued":
                assert event["ticket"]["id"] == last_ticket["id"]
                assert event["ticket"]["status"] == "waiting"
            if kind == "ticket.transferred":
                assert event["window"] == 5 and event["ticket"]["status"] == "waiting"
                assert event["ticket"]["service"] == "invoice"
            if kind == "ticket.finished":
                assert event["ticket"]["status"] == "done"
            if kind == "ticket.no_show":
                assert event["ticket"]["status"] == "no_show"
            if kind == "ticket.cancelled":
                assert event["ticket"]["status"] == "cancelled"
        assert_silent(ws)
    assert seq_now(api) == expected_seq


def test_reconnecting_with_since_replays_exactly_the_missed_events(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    with connect(f"{live.ws_url}/ws/hall") as ws:
        seq = recv(ws)["seq"]
    a = issue(api, k, "invoice")
    b = issue(api, k, "tax-filing")
    post(api, admin, "/api/windows/14/open")
    with connect(f"{live.ws_url}/ws/hall?since={seq}") as ws:
        missed = [recv(ws) for _ in range(3)]
        assert [m["seq"] for m in missed] == [seq + 1, seq + 2, seq + 3]
        assert [m["type"] for m in missed] == ["ticket.issued", "ticket.issued",
                                               "window.opened"]
        assert [missed[0]["ticket"]["id"], missed[1]["ticket"]["id"]] == [a["id"], b["id"]]
        assert_silent(ws)
        post(api, admin, "/api/windows/14/call-next")
        live_event = recv(ws)
        assert live_event["seq"] == seq + 4 and live_event["type"] == "ticket.called"
    # Up to date: no snapshot and nothing to replay.
    with connect(f"{live.ws_url}/ws/hall?since={seq + 4}") as ws:
        assert_silent(ws)


@pytest.mark.parametrize("since", ["garbage", "-1", "1.5", "", "9999999", "0x10"])
def test_an_invalid_since_gets_a_snapshot_first(live: LiveServer, api: Api, since: str) -> None:
    issue(api, kiosk(api, api.admin()), "invoice")
    with connect(f"{live.ws_url}/ws/hall?since={since}") as ws:
        first = recv(ws)
        assert first["type"] == "snapshot", first
        assert first["seq"] == seq_now(api)


def test_more_than_a_thousand_events_behind_gets_a_snapshot_and_a_thousand_replays(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    post(api, admin, "/api/windows/1/open")
    with httpx.Client(base_url=live.url, headers=admin) as client:
        for i in range(1000):
            r = client.post(f"/api/windows/1/{'pause' if i % 2 == 0 else 'resume'}")
            assert r.status_code == 200
    last = seq_now(api)
    assert last >= 1001
    with connect(f"{live.ws_url}/ws/hall?since={last - 1001}") as ws:
        first = recv(ws)
        assert first["type"] == "snapshot" and first["seq"] == last
        assert_silent(ws)
    with connect(f"{live.ws_url}/ws/hall?since={last - 1000}") as ws:
        replay = [recv(ws) for _ in range(1000)]
        assert [m["seq"] for m in replay] == list(range(last - 999, last + 1))
        assert {m["type"] for m in replay} == {"window.paused", "window.resumed"}
        assert_silent(ws)


def test_garbage_from_a_client_does_not_disturb_the_stream_or_the_server(
        live: LiveServer, api: Api) -> None:
    k = kiosk(api, api.admin())
    with connect(f"{live.ws_url}/ws/hall") as noisy, connect(f"{live.ws_url}/ws/hall") as calm:
        seq = recv(noisy)["seq"]
        assert recv(calm)["seq"] == seq
        noisy.send("garbage{{{ not json")
        noisy.send(b"\x00\xff\xfe\x81binary")
        noisy.send(json.dumps({"type": "subscribe", "since": -5}))
        t = issue(api, k, "invoice")
        for ws in (noisy, calm):
            event = recv(ws)
            assert event["type"] == "ticket.issued" and event["seq"] == seq + 1
            assert event["ticket"]["id"] == t["id"]
        assert httpx.get(live.url + "/healthz").status_code == 200
        noisy.send(b"\x00" * 10)
        issue(api, k, "invoice")
        assert recv(calm)["seq"] == seq + 2
        assert recv(noisy)["seq"] == seq + 2  # the noisy client keeps receiving too
        # A frame bigger than any client needs (ws_max_size) closes that one connection only.
        noisy.send("x" * 100_000)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                noisy.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        issue(api, k, "invoice")
        assert recv(calm)["seq"] == seq + 3
    assert httpx.get(live.url + "/healthz").json() == {"status": "ok"}


def test_ticket_socket_sends_the_ticket_on_connect_and_on_every_change(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    k = kiosk(api, admin)
    first = issue(api, k, "forestry-permit")
    mine = issue(api, k, "forestry-permit")
    url = f"{live.ws_url}/ws/tickets/{mine['id']}?token={mine['token']}"
    with connect(url) as ws:
        hello = recv(ws)
        assert hello["type"] == "ticket"
        assert hello["ticket"]["id"] == mine["id"] and hello["ticket"]["status"] == "waiting"
        assert hello["ticket"]["number"] == mine["number"] and hello["ticket"]["ahead"] == 1
        # The resident ahead leaves: my `ahead` changes and I am told.
        r = api.http.post(f"/api/tickets/{first['id']}/cancel", params={"token": first["token"]})
        assert r.status_code == 200
        update = recv(ws)
        assert update["type"] == "ticket" and update["ticket"]["ahead"] == 0
        post(api, li, "/api/windows/10/open")
        post(api, li, "/api/windows/10/call-next")
        deadline = time.monotonic() + 10
        while True:
            message = recv(ws, timeout=max(0.1, deadline - time.monotonic()))
            assert message["type"] == "ticket"
            if message["ticket"]["status"] == "called":
                break
        assert message["ticket"]["window"] == 10 and message["ticket"]["call_count"] == 1


def test_ticket_socket_refuses_a_wrong_token(live: LiveServer, api: Api) -> None:
    k = kiosk(api, api.admin())
    t = issue(api, k, "invoice")
    other = issue(api, k, "invoice")
    base = f"{live.ws_url}/ws/tickets"
    assert_refused(f"{base}/{t['id']}?token=wrong")
    assert_refused(f"{base}/{t['id']}")
    assert_refused(f"{base}/{t['id']}?token={other['token']}")
    assert_refused(f"{base}/987654?token={t['token']}")
    assert httpx.get(live.url + "/healthz").status_code == 200


def test_the_hall_board_reads_the_queue_without_logging_in(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url) as anon:
        assert anon.get("/api/queue").status_code == 200
        assert_error(anon.post("/api/queue"), 405, "method_not_allowed")


def test_the_hall_stream_and_queue_carry_only_public_fields(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    with connect(live.ws_url + "/ws/hall") as ws:
        start = recv(ws)["seq"]
        issue(api, k, "invoice", priority="disabled")
        issued = next_of(ws, "ticket.issued")
        assert "priority" not in issued and "disabled" not in json.dumps(issued)
        api.http.post("/api/windows/14/open", headers=admin)
        api.http.post("/api/windows/14/call-next", headers=admin)
        api.http.post("/api/windows/14/finish", headers=admin)
        api.http.post("/api/windows/14/evaluation", headers=admin, json={"grade": 1})
        assert "grade" not in next_of(ws, "ticket.evaluated")
        api.http.post("/api/windows/14/pause", headers=admin, json={"reason": "去医院看病 王某"})
        paused = next_of(ws, "window.paused")
        assert "王某" not in json.dumps(paused, ensure_ascii=False) and paused.get("reason") is None
        api.http.post("/api/windows/14/resume", headers=admin)
        api.http.post("/api/windows/14/pause", headers=admin, json={"reason": "午休"})
        assert next_of(ws, "window.paused")["reason"] == "午休"  # from the fixed list
        device = kiosk(api, admin)
        api.http.post("/api/devices/status", headers=device,
                      json={"printer": "paper_out", "detail": "纸尽"})
        status = next_of(ws, "device.status")
        assert set(status) == {"type", "seq", "at", "ticket", "window"}
    with connect(f"{live.ws_url}/ws/hall?since={start}") as replay:
        text = "".join(replay.recv(timeout=10) for _ in range(8))
        assert "王某" not in text and "priority" not in text and "paper_out" not in text
    queue = httpx.get(live.url + "/api/queue").text
    assert "王某" not in queue and "priority" not in queue
    staff_view = api.http.get("/api/windows", headers=admin).json()
    assert staff_view[13]["pause_reason"] == "午休"  # staff still see their own reasons


@pytest.mark.parametrize("since", ["²", "٣", "9" * 5000])
def test_odd_since_values_get_a_snapshot_not_a_traceback(
        live: LiveServer, since: str, caplog: pytest.LogCaptureFixture) -> None:
    with connect(f"{live.ws_url}/ws/hall?since={since}") as ws:
        assert recv(ws)["type"] == "snapshot"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
