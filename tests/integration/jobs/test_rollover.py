"""The service-day rollover: expiry, closed windows and fresh numbering, on a live server and in-process."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from websockets.sync.client import connect

from queue_server.domain.model import TicketStatus
from queue_server.jobs.rollover import rollover
from queue_server.tickets.events import TicketExpired
from tests.support import inprocess
from tests.support.http import issue, kiosk, staff
from tests.support.inprocess import NOON, database, ticket_status
from tests.support.live import Api, LiveServer
from tests.support.rollover import run_rollover

SHANGHAI = ZoneInfo("Asia/Shanghai")


def ok(r: Any, status: int = 200) -> Any:
    """Assert a status and return the JSON body."""
    assert r.status_code == status, r.text
    return r.json() if r.content else None


@pytest.mark.server(db="both")
def test_rollover_expires_open_tickets_closes_windows_and_restarts_numbering(live: LiveServer, api: Api) -> None:
    today = datetime.now(SHANGHAI).date()
    evening = datetime.combine(today, time(23, 59), tzinfo=SHANGHAI)
    live.runtime.clock = lambda: evening
    run_rollover(live, evening)  # the server's day is `today`; nothing to do yet
    admin = api.admin()
    li, wang, zhao = (staff(live, api, admin, n) for n in ("li", "wang", "zhao"))
    k = kiosk(api, admin)
    t = [issue(api, k, "pension-insurance") for _ in range(4)]
    b = issue(api, k, "subsistence-allowance")
    assert [x["number"] for x in t] + [b["number"]] == ["A001", "A002", "A003", "A004",
                                                         "B001"]
    ok(api.http.post("/api/windows/5/open", headers=li))
    ok(api.http.post("/api/windows/5/call-next", headers=li))
    ok(api.http.post("/api/windows/5/finish", headers=li, json={"outcome": "done"}))
    ok(api.http.post("/api/windows/6/open", headers=wang))
    ok(api.http.post("/api/windows/6/call-next", headers=wang))
    ok(api.http.post("/api/windows/6/start", headers=wang))
    ok(api.http.post("/api/windows/1/open", headers=admin))
    ok(api.http.post("/api/windows/1/call-next", headers=admin))
    ok(api.http.post("/api/windows/7/open", headers=zhao))
    ok(api.http.post("/api/windows/7/pause", headers=zhao))
    seq = ok(api.http.get("/api/queue"))["seq"]

    with connect(f"{live.ws_url}/ws/hall?since={seq}") as ws:
        midnight = evening + timedelta(minutes=2)
        live.runtime.clock = lambda: midnight
        events = run_rollover(live, midnight)
        received = [json.loads(ws.recv(timeout=10)) for _ in range(len(events))]
    expired = [e for e in received if e["type"] == "ticket.expired"]
    closed = [e for e in received if e["type"] == "window.closed"]
    assert [e["seq"] for e in received] == list(range(seq + 1, seq + 1 + len(received)))
    assert sorted(e["ticket"]["number"] for e in expired) == ["A002", "A003", "A004", "B001"]
    assert all(e["ticket"]["status"] == "expired" for e in expired)
    assert sorted(e["window"] for e in closed) == [1, 5, 6, 7]
    assert len(received) == 8

    statuses = {x["number"]: ok(api.http.get(f"/api/tickets/{x['id']}", headers=admin))[
        "status"] for x in [*t, b]}
    assert statuses == {"A001": "done", "A002": "expired", "A003": "expired",
                        "A004": "expired", "B001": "expired"}
    windows = ok(api.http.get("/api/windows", headers=admin))
    assert all(w["status"] == "closed" and w["clerk"] is None and w["current"] is None
               for w in windows)
    queue = ok(api.http.get("/api/queue"))
    assert all(c["waiting"] == 0 for c in queue["categories"])

    fresh = issue(api, k, "pension-insurance")
    assert fresh["number"] == "A001" and fresh["id"] != t[0]["id"]
    assert datetime.fromisoformat(fresh["issued_at"]).date() == today + timedelta(days=1)
    assert issue(api, k, "elderly-care")["number"] == "B001"
    # Yesterday's tickets are still there for their residents and the statistics.
    old = ok(api.http.get(f"/api/tickets/{t[0]['id']}", params={"token": t[0]["token"]}))
    assert old["number"] == "A001" and old["status"] == "done"
    # The clerks were signed out and may open a window on the new day.
    assert ok(api.http.post("/api/windows/6/open", headers=wang))["clerk"]["username"] == \
        "wang"
    assert run_rollover(live, midnight + timedelta(minutes=1)) == []


def test_tickets_at_2359_and_0001_belong_to_different_service_days(live: LiveServer) -> None:
    today = datetime.now(SHANGHAI).date()
    evening = datetime.combine(today, time(23, 59, 30), tzinfo=SHANGHAI)
    live.runtime.clock = lambda: evening
    api = Api(live.url)
    try:
        k = kiosk(api, api.admin())
        assert issue(api, k, "invoice")["number"] == "G001"
        assert issue(api, k, "invoice")["number"] == "G002"
        live.runtime.clock = lambda: evening + timedelta(minutes=1)
        run_rollover(live, evening + timedelta(minutes=1))
        assert issue(api, k, "invoice")["number"] == "G001"
    finally:
        api.close()


def test_rollover_expires_yesterdays_tickets_once(tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        db.run_write(lambda uow: rollover(uow, NOON))
        ticket, _ = inprocess.issue(db)
        tomorrow = NOON + timedelta(days=1)
        changed, events = db.run_write(lambda uow: rollover(uow, tomorrow))
        assert changed is True
        assert [type(e.event) for e in events] == [TicketExpired]
        assert ticket_status(db, ticket) == TicketStatus.EXPIRED
        again, none = db.run_write(lambda uow: rollover(uow, tomorrow))
        assert again is False and none == []
