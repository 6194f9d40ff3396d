"""The feedback loop (好差评整改) over a live server on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from websockets.sync.client import connect

from tests.support.cases import PHONE, act, new_case
from tests.support.clock import MovableClock
from tests.support.halls import LONG_SESSIONS
from tests.support.http import assert_error, bearer, issue, kiosk, staff
from tests.support.live import Api, LiveServer

pytestmark = pytest.mark.server(db="both", settings=LONG_SESSIONS)


class Hall:
    """A manager, a clerk at window 3 with its pad, and a kiosk."""

    def __init__(self, live: LiveServer, api: Api) -> None:
        self.live, self.api = live, api
        self.admin = api.admin()
        self.manager = staff(live, api, self.admin, "zhang", role="manager")
        self.clerk = staff(live, api, self.admin, "li")
        r = api.http.post("/api/admin/devices", headers=self.admin,
                          json={"name": "pad-3", "kind": "pad", "window": 3})
        self.pad = bearer(r.json()["token"])
        self.kiosk = kiosk(api, self.admin)
        assert api.http.post("/api/windows/3/open", headers=self.clerk).status_code == 200

    def serve(self, **extra: Any) -> dict[str, Any]:
        """Issue, call and finish a ticket at window 3; return it as issued (with its token)."""
        t = issue(self.api, self.kiosk, "invoice", **extra)
        assert self.api.http.post("/api/windows/3/call-next", headers=self.clerk).status_code == 200
        assert self.api.http.post("/api/windows/3/finish", headers=self.clerk,
                                  json={"outcome": "done"}).status_code == 200
        return t

    def grade(self, headers: dict[str, str], grade: int, **body: Any) -> dict[str, Any]:
        r = self.api.http.post("/api/windows/3/evaluation", headers=headers, json={"grade": grade, **body})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def items(self, query: str = "") -> dict[str, Any]:
        r = self.api.http.get(f"/api/feedback{query}", headers=self.manager)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def report(self, description: str = "想办老年证，跑了两趟都说系统不通", **body: Any) -> dict[str, Any]:
        r = self.api.http.post("/api/feedback", json={"kind": "cannot_do", "description": description, **body})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def step(self, item: int, action: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
        r = self.api.http.post(f"/api/feedback/{item}/{action}", headers=self.manager, json=body)
        assert r.status_code == status, r.text
        return dict(r.json())

    def seq(self) -> int:
        return int(self.api.http.get("/api/queue").json()["seq"])


def test_a_grade_of_2_on_the_pad_opens_an_item_and_a_4_does_not(live: LiveServer, api: Api) -> None:
    hall = Hall(live, api)
    hall.serve()
    hall.grade(hall.pad, 4)
    assert hall.items()["total"] == 0
    t = hall.serve(phone=PHONE)
    with connect(live.ws_url + f"/ws/hall?since={hall.seq()}") as ws:
        hall.grade(hall.pad, 2, reasons=["态度不好"], comment="等了很久没人理")
        events = [json.loads(ws.recv(timeout=10)) for _ in range(2)]
    assert [e["type"] for e in events] == ["ticket.evaluated", "feedback.opened"]
    # The public stream carries ids and the status only: no grade, text, phone or window.
    assert set(events[1]) == {"type", "seq", "at", "feedback"}
    assert set(events[1]["feedback"]) == {"id", "status"}
    listed = hall.items()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert item["kind"] == "bad_grade" and item["grade"] == 2 and item["source"] == "pad"
    assert item["ticket"] == t["id"] and item["ticket_number"] == t["number"]
    assert item["window"] == 3 and item["clerk"] == "li"
    assert item["reasons"] == ["态度不好"] and item["comment"] == "等了很久没人理"
    assert item["phone"] == "138****1234" and item["status"] == "open"
    assert [h["status"] for h in item["history"]] == ["open"]
    # Only managers see the list; the full phone is shown on request and the log records who.
    assert_error(api.http.get("/api/feedback", headers=hall.clerk), 403, "forbidden")
    with httpx.Client(base_url=live.url) as anonymous:
        assert_error(anonymous.get("/api/feedback"), 401, "unauthorized")
    assert_error(api.http.post(f"/api/feedback/{item['id']}/phone", headers=hall.clerk), 403, "forbidden")
    r = api.http.post(f"/api/feedback/{item['id']}/phone", headers=hall.manager)
    assert r.status_code == 200 and r.json() == {"id": item["id"], "phone": PHONE}
    with live.runtime.engine.connect() as conn:
        actor = conn.execute(text("SELECT actor FROM event WHERE type = 'feedback.phone_revealed'")).scalar_one()
    assert actor == "user:zhang"


def test_the_loop_runs_in_order_and_refuses_steps_out_of_order(live: LiveServer, api: Api) -> None:
    hall = Hall(live, api)
    item = hall.report(phone=PHONE)
    n = item["id"]
    assert item["phone"] == "138****1234" and item["number"].startswith("FK")
    before = hall.seq()
    for action, body in (("rectify", {"note": "x"}), ("close", {"note": "x"})):
        assert_error(api.http.post(f"/api/feedback/{n}/{action}", headers=hall.manager, json=body),
                     409, "invalid_state")
    assert_error(api.http.post(f"/api/feedback/{n}/visit", headers=hall.clerk,
                               json={"method": "phone", "note": "x"}), 403, "forbidden")
    assert_error(api.http.post(f"/api/feedback/{n}/visit", headers=hall.manager,
                               json={"method": "fax", "note": "x"}), 422, "invalid")
    assert_error(api.http.post("/api/feedback/999999/visit", headers=hall.manager,
                               json={"method": "phone", "note": "x"}), 404, "not_found")
    assert hall.seq() == before  # refusals change nothing
    hall.step(n, "visit", {"method": "phone", "note": "电话回访，群众反映系统故障"})
    hall.step(n, "visit", {"method": "phone", "note": "again"}, status=409)
    hall.step(n, "rectify", {"note": "已联系县残联修复系统"})
    done = hall.step(n, "close", {"note": "已电话告知群众可以办理"})
    assert done["status"] == "closed"
    assert [(h["status"], h["by"]) for h in done["history"]][1:] == [
        ("visited", "zhang"), ("rectified", "zhang"), ("closed", "zhang")]
    assert done["history"][1]["method"] == "phone"
    assert done["history"][3]["note"] == "已电话告知群众可以办理"
    hall.step(n, "close", {"note": "again"}, status=409)
    # Closing straight after a visit (nothing to rectify) is allowed too.
    other = hall.report()["id"]
    hall.step(other, "visit", {"method": "in_person", "note": "当面说明"})
    assert hall.step(other, "close", {"note": "已解释政策"})["status"] == "closed"
    with live.runtime.engine.connect() as conn:
        types = [r[0] for r in conn.execute(text(
            "SELECT type FROM event WHERE type LIKE 'feedback.%' ORDER BY seq"))]
    assert types == ["feedback.opened", "feedback.visited", "feedback.rectified", "feedback.closed",
                     "feedback.opened", "feedback.visited", "feedback.closed"]
    assert hall.items("?status=closed")["total"] == 2 and hall.items("?status=open")["total"] == 0
    assert_error(api.http.get("/api/feedback?status=nope", headers=hall.manager), 422, "invalid")


@pytest.mark.server(clock="2026-09-30 10:00")  # the eve of National Day
def test_the_overdue_flag_counts_working_days(live: LiveServer, clock: MovableClock, api: Api) -> None:
    hall = Hall(live, api)
    item = hall.report()
    # Five working days: 10-08, 10-09, 10-10 (调休上班), 10-12, 10-13.
    assert item["due_date"] == "2026-10-13" and item["overdue"] is False
    clock.set("2026-10-13 17:00")
    assert hall.items()["items"][0]["overdue"] is False
    assert hall.items("?overdue=true")["total"] == 0
    clock.set("2026-10-14 09:00")
    assert hall.items()["items"][0]["overdue"] is True
    assert hall.items("?overdue=true")["total"] == 1
    stats = api.http.get("/api/stats/feedback?from=2026-09-01&to=2026-10-31", headers=hall.manager).json()
    assert stats["overdue"] == 1 and stats["open"] == 1


@pytest.mark.server(clock="2026-12-01 10:00")  # Tuesday: due 2026-12-08
def test_visited_and_on_time_percentages_match_a_hand_computed_month(
        live: LiveServer, clock: MovableClock, api: Api) -> None:
    hall = Hall(live, api)
    a = hall.report(phone=PHONE)["id"]  # visited, rectified on time, closed
    hall.report(phone="13900001111")  # b: never visited: past due by the 10th
    c = hall.report()["id"]  # no phone; visited, closed late
    clock.set("2026-12-02 10:00")
    hall.step(a, "visit", {"method": "phone", "note": "n"})
    hall.step(c, "visit", {"method": "in_person", "note": "n"})
    clock.set("2026-12-03 10:00")
    hall.step(a, "rectify", {"note": "n"})
    hall.step(a, "close", {"note": "n"})
    clock.set("2026-12-09 10:00")
    hall.step(c, "close", {"note": "n"})
    clock.set("2026-12-07 10:00")
    hall.serve()
    hall.grade(hall.pad, 1)  # d: a bad grade without a phone, due 12-14, still open
    clock.set("2026-12-10 10:00")
    url = "/api/stats/feedback?from=2026-12-01&to=2026-12-31"
    stats = api.http.get(url, headers=hall.manager).json()
    # With a phone: a, b; visited a → 50 %. Due or settled: a (on time), b (due), c (late) → 1/3.
    assert stats == {"bad": 1, "cannot_do": 3, "visited_pct": 50.0, "rectified_on_time_pct": 33.3,
                     "open": 2, "overdue": 1}
    later = api.http.get("/api/stats/feedback?from=2026-12-02&to=2026-12-31", headers=hall.manager).json()
    assert later == {"bad": 1, "cannot_do": 0, "visited_pct": None, "rectified_on_time_pct": None,
                     "open": 2, "overdue": 1}
    assert_error(api.http.get(url, headers=hall.clerk), 403, "forbidden")
    month = api.http.get("/api/stats/feedback/monthly?month=2026-12", headers=hall.manager).json()
    assert month["feedback"] == stats and month["first"] == "2026-12-01" and month["last"] == "2026-12-31"
    third = next(r for r in month["ranking"] if r["window"] == 3)
    assert third["served"] == 1 and third["bad"] == 1 and third["satisfied_pct"] == 0.0
    assert third["rank"] == 1  # the only window with grades ranks first; the rest have none
    assert_error(api.http.get("/api/stats/feedback/monthly?month=2026-13", headers=hall.manager), 422, "invalid")


def test_a_clerks_own_grade_does_not_count_and_the_residents_replaces_it(live: LiveServer, api: Api) -> None:
    hall = Hall(live, api)
    t = hall.serve(phone=PHONE)
    hall.grade(hall.clerk, 5)
    summary = api.http.get("/api/stats/summary", headers=hall.manager).json()
    assert all(c["grades"] == 0 for c in summary["by_clerk"] if c["clerk"] == "li")
    r = api.http.post(f"/api/tickets/{t['id']}/evaluation", json={"token": t["token"], "grade": 2})
    assert r.status_code == 201, r.text
    li = next(c for c in api.http.get("/api/stats/summary", headers=hall.manager).json()["by_clerk"]
              if c["clerk"] == "li")
    assert li["grades"] == 1 and li["grade_avg"] == 2
    item = hall.items()["items"][0]
    assert item["grade"] == 2 and item["source"] == "mobile" and item["ticket"] == t["id"]
    # A staff-entered bad grade opens an item; the resident's own good grade closes it again.
    t2 = hall.serve()
    hall.grade(hall.clerk, 1)
    assert hall.items()["total"] == 2
    r = api.http.post(f"/api/tickets/{t2['id']}/evaluation", json={"token": t2["token"], "grade": 5})
    assert r.status_code == 201, r.text
    closed = hall.items("?status=closed")["items"][0]
    assert closed["ticket"] == t2["id"] and closed["grade"] == 5 and closed["history"][-1]["by"] == "system"


def test_oversize_text_is_refused_and_stores_nothing(live: LiveServer, api: Api) -> None:
    hall = Hall(live, api)
    t = hall.serve()
    before = hall.seq()
    r = api.http.post("/api/feedback", json={"kind": "cannot_do", "description": "办" * 501})
    assert_error(r, 422, "invalid")
    assert_error(api.http.post("/api/feedback", json={"kind": "cannot_do", "description": ""}), 422, "invalid")
    assert_error(api.http.post("/api/feedback", json={"kind": "cannot_do", "description": "x",
                                                      "matter": "NOPE"}), 422, "invalid")
    r = api.http.post(f"/api/tickets/{t['id']}/evaluation",
                      json={"token": t["token"], "grade": 1, "comment": "差" * 501})
    assert_error(r, 422, "invalid")
    assert hall.seq() == before and hall.items()["total"] == 0
    assert hall.report("办" * 500)["comment"] == "办" * 500  # 500 is the limit, inclusive


def test_a_flood_of_reports_from_one_address_gets_429_and_stores_nothing(live: LiveServer, api: Api) -> None:
    hall = Hall(live, api)
    # A refused (invalid) report costs nothing against the limit.
    assert_error(api.http.post("/api/feedback", json={"kind": "cannot_do", "description": "x",
                                                      "matter": "NOPE"}), 422, "invalid")
    for i in range(5):
        hall.report(f"第 {i} 次")
    before = hall.seq()
    for _ in range(3):
        assert_error(api.http.post("/api/feedback", json={"kind": "cannot_do", "description": "再来"}),
                     429, "rate_limited")
    assert hall.seq() == before and hall.items()["total"] == 5


def test_a_completed_case_is_graded_once_and_a_bad_grade_opens_an_item(live: LiveServer, api: Api) -> None:
    hall = Hall(live, api)
    case = new_case(api, hall.clerk)
    body = {"token": case["token"], "grade": 1, "reasons": ["办理太慢"], "comment": "等了三周"}
    url = f"/api/cases/{case['id']}/evaluation"
    assert_error(api.http.post(url, json=body), 409, "case_not_done")
    state = api.http.get(url, params={"token": case["token"]}).json()
    assert state == {"case": case["id"], "can_evaluate": False, "evaluation": None}
    act(api, hall.clerk, case["id"], "complete", {"result": "approved"})
    assert_error(api.http.post(url, json={**body, "token": "wrong"}), 403, "forbidden")
    assert_error(api.http.post(url, json={**body, "comment": "慢" * 501}), 422, "invalid")
    assert api.http.get(url, params={"token": case["token"]}).json()["can_evaluate"] is True
    r = api.http.post(url, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["grade"] == 1
    assert_error(api.http.post(url, json={**body, "grade": 5}), 409, "already_evaluated")
    item = hall.items()["items"][0]
    assert item["case"] == case["id"] and item["grade"] == 1 and item["matter"] == case["matter"]
    assert item["phone"] == "138****1234" and item["clerk"] == "li"
    state = api.http.get(url, params={"token": case["token"]}).json()
    assert state["can_evaluate"] is False and state["evaluation"]["grade"] == 1
    # A good grade for another case opens nothing.
    good = new_case(api, hall.clerk)
    act(api, hall.clerk, good["id"], "complete", {"result": "approved"})
    act(api, hall.clerk, good["id"], "deliver", {"method": "pickup"})
    r = api.http.post(f"/api/cases/{good['id']}/evaluation", json={"token": good["token"], "grade": 4})
    assert r.status_code == 201 and hall.items()["total"] == 1
