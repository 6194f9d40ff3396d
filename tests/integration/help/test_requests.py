"""呼叫导办员 on a live server, on SQLite and PostgreSQL: calls, answers, the hall stream and the figures."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.support.http import PASSWORD, assert_error, bearer, login, staff
from tests.support.live import Api, LiveServer
from tests.support.rollover import run_rollover

SH = ZoneInfo("Asia/Shanghai")


class Hall:
    """A live server whose clock the test moves, a clerk, a manager and two kiosks."""

    def __init__(self, live: LiveServer) -> None:
        self.live, self.api = live, Api(live.url)
        self.now = datetime.now(SH).replace(hour=10, minute=0, second=0, microsecond=0)
        live.runtime.clock = lambda: self.now
        self.admin = self.api.admin()
        self.clerk = staff(live, self.api, self.admin, "wangfang")
        self.manager = staff(live, self.api, self.admin, "boss", role="manager")
        self.kiosk_a = self.device("kiosk", "大厅入口取号机")
        self.kiosk_b = self.device("kiosk", "二楼取号机")

    def device(self, kind: str, name: str) -> dict[str, str]:
        r = self.api.http.post("/api/admin/devices", headers=self.admin, json={"name": name, "kind": kind})
        assert r.status_code == 201, r.text
        return bearer(r.json()["token"])

    def call(self, kiosk: dict[str, str], **body: Any) -> httpx.Response:
        return self.api.http.post("/api/kiosk/help", headers=kiosk, json=body)

    def open_list(self) -> list[dict[str, Any]]:
        r = self.api.http.get("/api/help", headers=self.clerk, params={"status": "open"})
        assert r.status_code == 200, r.text
        return list(r.json())


@pytest.fixture
def hall(tmp_path: Path, any_db: str) -> Iterator[Hall]:
    live = LiveServer(tmp_path / "var", database_url=any_db).start()
    h = Hall(live)
    yield h
    h.api.close()
    live.stop()


def recv(ws: ClientConnection) -> dict[str, Any]:
    return dict(json.loads(ws.recv(timeout=10)))


def test_a_kiosk_calls_a_guide_once_staff_acknowledge_then_resolve(hall: Hall) -> None:
    first = hall.call(hall.kiosk_a, reason="cannot_read")
    assert first.status_code == 201, first.text
    call = first.json()
    assert call["status"] == "requested" and call["reason"] == "cannot_read"
    assert call["kiosk_name"] == "大厅入口取号机" and isinstance(call["kiosk"], int)
    assert call["requested_at"].startswith(hall.now.isoformat()[:16]) and call["acknowledged_at"] is None
    # A second tap while the call is open returns the same call, whatever reason it gives.
    again = hall.call(hall.kiosk_a)
    assert again.status_code == 200 and again.json()["id"] == call["id"]
    other = hall.call(hall.kiosk_b)
    assert other.status_code == 201 and other.json()["id"] != call["id"] and other.json()["reason"] is None

    assert [c["id"] for c in hall.open_list()] == [call["id"], other.json()["id"]]  # oldest first
    hall.now += timedelta(seconds=42)
    acked = hall.api.http.post(f"/api/help/{call['id']}/ack", headers=hall.clerk)
    assert acked.status_code == 200, acked.text
    assert acked.json()["status"] == "acknowledged" and acked.json()["by"] == "wangfang"
    assert acked.json()["acknowledged_at"].startswith(hall.now.isoformat()[:19])
    assert_error(hall.api.http.post(f"/api/help/{call['id']}/ack", headers=hall.clerk), 409, "invalid_state")
    # The kiosk's fallback poll sees the answer; another kiosk cannot read this kiosk's call.
    polled = hall.api.http.get(f"/api/kiosk/help/{call['id']}", headers=hall.kiosk_a)
    assert polled.status_code == 200 and polled.json()["status"] == "acknowledged"
    assert_error(hall.api.http.get(f"/api/kiosk/help/{call['id']}", headers=hall.kiosk_b), 404, "not_found")

    assert hall.api.http.post(f"/api/help/{call['id']}/resolve", headers=hall.clerk).json()["status"] == "resolved"
    assert_error(hall.api.http.post(f"/api/help/{call['id']}/resolve", headers=hall.clerk), 409, "invalid_state")
    assert_error(hall.api.http.post(f"/api/help/{call['id']}/ack", headers=hall.clerk), 409, "invalid_state")
    # Resolved straight from requested is allowed too.
    assert hall.api.http.post(f"/api/help/{other.json()['id']}/resolve", headers=hall.manager).json()["by"] == "boss"
    assert hall.open_list() == []
    resolved = hall.api.http.get("/api/help", headers=hall.clerk, params={"status": "resolved"}).json()
    assert {c["id"] for c in resolved} == {call["id"], other.json()["id"]}
    # Once resolved, the kiosk may call again: a new call.
    fresh = hall.call(hall.kiosk_a)
    assert fresh.status_code == 201 and fresh.json()["id"] not in (call["id"], other.json()["id"])
    assert_error(hall.api.http.post("/api/help/999999/ack", headers=hall.clerk), 404, "not_found")


def test_who_may_call_and_answer(hall: Hall) -> None:
    display = hall.device("display", "大厅显示屏")
    with httpx.Client(base_url=hall.live.url) as anonymous:
        assert_error(anonymous.post("/api/kiosk/help", json={}), 401, "unauthorized")
        assert_error(anonymous.get("/api/help"), 401, "unauthorized")
    assert_error(hall.call(hall.clerk), 403, "forbidden")
    assert_error(hall.call(display), 403, "forbidden")
    call = hall.call(hall.kiosk_a).json()
    assert_error(hall.api.http.get(f"/api/kiosk/help/{call['id']}", headers=hall.clerk), 403, "forbidden")
    assert_error(hall.api.http.get("/api/help", headers=hall.kiosk_a), 403, "forbidden")
    assert_error(hall.api.http.post(f"/api/help/{call['id']}/ack", headers=hall.kiosk_a), 403, "forbidden")
    assert_error(hall.call(hall.kiosk_a, reason="lost"), 422, "invalid")
    assert_error(hall.api.http.get("/api/help", headers=hall.clerk, params={"status": "x"}), 422, "invalid")
    # Another hall's staff and kiosks: 403 here; in their hall this call does not exist.
    assert hall.api.http.post("/api/county/halls", headers=hall.admin,
                              json={"code": "xiasi", "name": "下寺镇"}).status_code == 201
    b = Api(f"{hall.live.url}/h/xiasi")
    r = b.http.post("/api/admin/devices", headers=hall.admin, json={"name": "下寺取号机", "kind": "kiosk"})
    b_kiosk = bearer(r.json()["token"])
    assert_error(hall.call(b_kiosk), 403, "forbidden")
    assert_error(hall.api.http.get(f"/api/kiosk/help/{call['id']}", headers=b_kiosk), 403, "forbidden")
    assert_error(b.http.post(f"/api/help/{call['id']}/ack", headers=hall.admin), 404, "not_found")
    assert b.http.get("/api/help", headers=hall.admin).json() == []
    b_call = b.http.post("/api/kiosk/help", headers=b_kiosk, json={})
    assert b_call.status_code == 201 and b_call.json()["id"] != call["id"]
    assert [c["id"] for c in hall.open_list()] == [call["id"]]
    b.close()


def test_two_taps_at_the_same_instant_make_one_call(hall: Hall) -> None:
    answers: list[httpx.Response] = []
    barrier = threading.Barrier(4)

    def tap() -> None:
        with httpx.Client(base_url=hall.live.url, timeout=30) as client:
            barrier.wait()
            answers.append(client.post("/api/kiosk/help", headers=hall.kiosk_a, json={}))

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in answers) == [200, 200, 200, 201], [r.text for r in answers]
    assert len({r.json()["id"] for r in answers}) == 1
    assert len(hall.open_list()) == 1


def test_the_hall_stream_carries_each_step_with_nothing_personal(hall: Hall) -> None:
    with connect(f"{hall.live.ws_url}/ws/hall") as ws:
        assert recv(ws)["type"] == "snapshot"
        call = hall.call(hall.kiosk_a, reason="cannot_find").json()
        hall.api.http.post(f"/api/help/{call['id']}/ack", headers=hall.clerk)
        hall.api.http.post(f"/api/help/{call['id']}/resolve", headers=hall.clerk)
        events = [recv(ws) for _ in range(3)]
    assert [e["type"] for e in events] == ["help.requested", "help.acknowledged", "help.resolved"]
    for e, status in zip(events, ("requested", "acknowledged", "resolved"), strict=True):
        assert set(e) == {"type", "seq", "at", "help"}, e
        assert e["help"] == {"id": call["id"], "kiosk": call["kiosk"], "status": status}
    text = json.dumps(events, ensure_ascii=False)
    assert "大厅入口取号机" not in text and "wangfang" not in text and "cannot_find" not in text
    # A reconnecting page gets the same events replayed from the log.
    with connect(f"{hall.live.ws_url}/ws/hall?since={events[0]['seq'] - 1}") as ws:
        assert [recv(ws)["type"] for _ in range(3)] == ["help.requested", "help.acknowledged", "help.resolved"]


def test_the_summary_counts_calls_answered_and_the_median_time_to_answer(hall: Hall) -> None:
    kiosks = [hall.kiosk_a, hall.kiosk_b, hall.device("kiosk", "三号取号机")]
    ids = [hall.call(kiosk).json()["id"] for kiosk in kiosks]
    called = hall.now
    for help_id, after in zip(ids[:2], (30, 90), strict=True):
        hall.now = called + timedelta(seconds=after)
        assert hall.api.http.post(f"/api/help/{help_id}/ack", headers=hall.clerk).status_code == 200
    hall.api.http.post(f"/api/help/{ids[2]}/resolve", headers=hall.clerk)  # never acknowledged
    day = hall.now.date().isoformat()
    r = hall.api.http.get("/api/stats/summary", headers=hall.manager, params={"from": day, "to": day})
    assert r.status_code == 200, r.text
    # Two acknowledged, after 30 s and 90 s: the nearest-rank median is 30 s.
    assert r.json()["help"] == {"requested": 3, "acknowledged": 2, "ack_p50": 30.0}
    yesterday = (hall.now.date() - timedelta(days=1)).isoformat()
    earlier = hall.api.http.get("/api/stats/summary", headers=hall.manager,
                                params={"from": yesterday, "to": yesterday}).json()
    assert earlier["help"] == {"requested": 0, "acknowledged": 0, "ack_p50": None}


def test_a_call_left_open_is_closed_by_the_rollover_and_the_kiosk_may_call_again(hall: Hall) -> None:
    left = hall.call(hall.kiosk_a, reason="cannot_read").json()
    acked = hall.call(hall.kiosk_b).json()
    assert hall.api.http.post(f"/api/help/{acked['id']}/ack", headers=hall.clerk).status_code == 200
    hall.now += timedelta(days=1)
    events = run_rollover(hall.live, hall.now)
    closed = [e for e in events if e["type"] == "help.resolved"]
    assert sorted(e["help"]["id"] for e in closed) == sorted([left["id"], acked["id"]])
    hall.clerk = bearer(login(hall.live, "wangfang", PASSWORD).json()["token"])  # a new day's login
    assert hall.open_list() == []
    resolved = hall.api.http.get("/api/help", headers=hall.clerk, params={"status": "resolved"}).json()
    # "by" names who answered: the clerk who acknowledged, else the day's end that closed it.
    assert {c["id"]: c["by"] for c in resolved} == {left["id"]: "系统（日终）", acked["id"]: "wangfang"}
    assert all(c["status"] == "resolved" and c["resolved_at"] for c in resolved)
    fresh = hall.call(hall.kiosk_a)
    assert fresh.status_code == 201 and fresh.json()["id"] != left["id"]
    # A second rollover on the same day closes nothing more.
    assert [e for e in run_rollover(hall.live, hall.now) if e["type"] == "help.resolved"] == []

