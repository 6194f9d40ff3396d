"""Statistics over HTTP: a fixture day with KPIs computed by hand, exports, days and roles."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import httpx
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from queue_server.db.eventlog import Event
from queue_server.tickets.models import Evaluation, Ticket
from tests.support.live import Api, LiveServer

DAY = date(2025, 6, 10)


def local(hh: int, mm: int, day: date = DAY) -> datetime:
    """Return an instant given as Beijing wall-clock time (UTC+8, no DST)."""
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=UTC) - timedelta(hours=8)


def insert_fixture_day(live: LiveServer) -> None:
    """Insert six tickets of one service day with exact timestamps, plus a day before."""
    hall = live.runtime.hall.code
    rows = [
        # number, channel, status, outcome, window, clerk, issued, first call, start, finish, eta
        ("A001", "kiosk", "done", "done", 1, "c1", local(9, 0), local(9, 4), local(9, 5),
         local(9, 11), 5.0),
        ("A002", "kiosk", "done", "deferred", 2, "c2", local(9, 10), local(9, 30), None,
         local(9, 38), 10.0),
        ("A003", "mobile", "done", "proxy", 1, "c1", local(10, 0), local(10, 15), local(10, 16),
         local(10, 26), 15.0),
        ("A004", "counter", "no_show", None, 2, "c2", local(10, 5), local(10, 7), None, None, 2.0),
        ("A005", "kiosk", "done", "incomplete", 2, "c2", local(11, 0), local(11, 50),
         local(11, 52), local(12, 12), None),
        ("A006", "mobile", "cancelled", None, None, None, local(11, 30), None, None, None, 9.0),
    ]
    grades = {"A001": 5, "A002": 3, "A003": 4}
    with Session(live.runtime.engine) as s:
        for number, channel, status, outcome, window, clerk, issued, called, started, \
                finished, eta in rows:
            wait = (called - issued).total_seconds() if called else None
            service = (finished - (started or called)).total_seconds() if finished else None
            t = Ticket(hall=hall, day=DAY, number=number, number_category="A", category="A",
                       service="pension-insurance", channel=channel, status=status,
                       outcome=outcome, window=window, clerk=clerk, call_count=1 if called else 0,
                       token="t-" + number, phone="13812345678" if number == "A001" else None,
                       issued_at=issued, rank_at=issued, first_called_at=called,
                       called_at=called, started_at=started, finished_at=finished,
                       closed_at=finished, wait_seconds=wait, service_seconds=service,
                       eta_at_issue=eta)
            s.add(t)
            s.flush()
            if number in grades:
                s.add(Evaluation(hall=hall, ticket_id=t.id, window=window, clerk=clerk,
                                 grade=grades[number], source="pad", at=finished))
        # The day before: must not leak into DAY.
        s.add(Ticket(hall=hall, day=DAY - timedelta(days=1), number="A001", number_category="A",
                     category="A", service="invoice", channel="kiosk", status="done",
                     outcome="done", window=3, clerk="c3", token="t-prev",
                     issued_at=local(8, 0, DAY - timedelta(days=1)),
                     rank_at=local(8, 0, DAY - timedelta(days=1)), wait_seconds=60.0,
                     service_seconds=60.0, first_called_at=local(8, 1, DAY - timedelta(days=1))))
        s.commit()


def test_summary_of_a_fixture_day_matches_hand_computed_kpis(live: LiveServer, api: Api) -> None:
    insert_fixture_day(live)
    r = api.http.get("/api/stats/summary", params={"from": "2025-06-10"}, headers=api.admin())
    assert r.status_code == 200, r.text
    s = r.json()
    assert (s["issued"], s["served"], s["no_show"], s["cancelled"], s["expired"],
            s["waiting_now"]) == (6, 4, 1, 1, 0, 0)
    # Waits 240, 1200, 900, 120, 3000 s → sorted 120, 240, 900, 1200, 3000.
    # Nearest rank: p50 = ceil(0.5·5) = 3rd = 900; p90 = ceil(0.9·5) = 5th = 3000.
    assert s["wait"] == {"avg": 1092.0, "p50": 900.0, "p90": 3000.0, "max": 3000.0}
    # Service: 360 (start→finish), 480 (call→finish, never started), 600, 1200.
    assert s["service"] == {"avg": 660.0, "p50": 480.0, "p90": 1200.0}
    # 120, 240 and exactly 900 are within 900 s: 3 of 5.
    assert s["sla"]["threshold"] == 900 and s["sla"]["within_pct"] == 60.0
    assert s["satisfaction"] == {"count": 3, "avg": 4.0, "satisfied_pct": 66.7,
                                 "grades": {"5": 1, "4": 1, "3": 1, "2": 0, "1": 0}}
    assert s["outcomes"] == {"done": 1, "deferred": 1, "proxy": 1, "incomplete": 1}
    assert s["no_show_pct"] == 20.0  # 1 no-show of 5 residents called to a close
    assert s["eta_mae_minutes"] == 2.75  # |5−4|, |10−20|, |15−15|, |2−2| → 11 / 4
    assert s["by_window"] == [{"window": 1, "served": 2, "service_avg": 480.0},
                              {"window": 2, "served": 2, "service_avg": 840.0}]
    assert s["by_service"][0] == {"service": "pension-insurance", "name": s["by_service"][0]["name"],
                                  "issued": 6, "served": 4, "wait_avg": 1092.0}
    assert s["by_hour"] == [{"hour": 9, "issued": 2, "wait_avg": 720.0},
                            {"hour": 10, "issued": 2, "wait_avg": 510.0},
                            {"hour": 11, "issued": 2, "wait_avg": 3000.0}]
    assert s["by_channel"] == {"kiosk": 3, "mobile": 2, "counter": 1, "agent": 0}
    assert [b["count"] for b in s["wait_buckets"]] == [2, 0, 0, 2, 1, 0]
    clerks = {c["clerk"]: c for c in s["by_clerk"]}
    assert (clerks["c1"]["served"], clerks["c1"]["service_avg"], clerks["c1"]["grade_avg"],
            clerks["c1"]["satisfied_pct"]) == (2, 480.0, 4.5, 100.0)
    assert (clerks["c2"]["served"], clerks["c2"]["service_avg"],
            clerks["c2"]["satisfied_pct"]) == (2, 840.0, 0.0)
    both = api.http.get("/api/stats/summary", params={"from": "2025-06-09", "to": "2025-06-10"},
                        headers=api.admin()).json()
    assert both["issued"] == 7 and both["wait"]["p50"] == 240.0


def test_an_empty_range_gives_zeros_and_nulls(live: LiveServer, api: Api) -> None:
    r = api.http.get("/api/stats/summary", params={"from": "2020-01-01", "to": "2020-01-31"},
                     headers=api.admin())
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["issued"] == s["served"] == s["no_show"] == 0
    assert s["wait"] == {"avg": None, "p50": None, "p90": None, "max": None}
    assert s["sla"]["within_pct"] is None and s["satisfaction"]["avg"] is None
    assert s["eta_mae_minutes"] is None and s["by_window"] == [] and s["by_hour"] == []
    assert [b["count"] for b in s["wait_buckets"]] == [0] * 6
    csv_r = api.http.get("/api/stats/export.csv", params={"from": "2020-01-01"},
                         headers=api.admin())
    assert csv_r.status_code == 200 and len(csv_r.content.decode("utf-8-sig").splitlines()) == 1


def test_from_after_to_is_invalid(live: LiveServer, api: Api) -> None:
    r = api.http.get("/api/stats/summary", params={"from": "2025-02-02", "to": "2025-02-01"},
                     headers=api.admin())
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"


def test_csv_export_round_trips(live: LiveServer, api: Api) -> None:
    insert_fixture_day(live)
    r = api.http.get("/api/stats/export.csv", params={"from": "2025-06-10"}, headers=api.admin())
    assert r.status_code == 200
    assert r.content.startswith(b"\xef\xbb\xbf") and "text/csv" in r.headers["content-type"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    required = ["id", "number", "service", "category", "channel", "priority", "status",
                "outcome", "window", "clerk", "issued_at", "first_called_at", "called_at",
                "started_at", "finished_at", "wait_seconds", "service_seconds", "grade"]
    assert set(required) <= set(rows[0])
    assert [row["number"] for row in rows] == ["A001", "A002", "A003", "A004", "A005", "A006"]
    a1 = rows[0]
    assert a1["phone"] == "138****5678" and "13812345678" not in r.text
    assert a1["issued_at"] == "2025-06-10T09:00:00+08:00"
    assert float(a1["wait_seconds"]) == 240.0 and a1["grade"] == "5" and a1["outcome"] == "done"
    with Session(live.runtime.engine) as s:
        db = {t.number: t for t in s.exec(select(Ticket).where(Ticket.day == DAY)).all()}
    for row in rows:
        t = db[row["number"]]
        assert int(row["id"]) == t.id and row["status"] == t.status
        assert (float(row["service_seconds"]) if row["service_seconds"] else None) == \
            t.service_seconds
        assert datetime.fromisoformat(row["issued_at"]) == t.issued_at
    x = api.http.get("/api/stats/export.xlsx", params={"from": "2025-06-10"}, headers=api.admin())
    assert x.status_code == 200
    wb = load_workbook(io.BytesIO(x.content), read_only=True)
    kpi = {r[0]: r[1] for r in wb["概览"].iter_rows(values_only=True)}
    assert kpi["取号数"] == 6 and kpi["满意率 %"] == 66.7
    assert kpi["响应时间中位数 秒"] == "—"  # no help request: a dash, not a missing cell
    assert sum(1 for _ in wb["明细"].iter_rows()) == 7


def test_a_clerk_is_refused_with_403(live: LiveServer, api: Api) -> None:
    clerk = api.user("clerk-a", "clerk")
    for path in ("/api/stats/summary", "/api/stats/export.csv", "/api/stats/export.xlsx",
                 "/api/stats/live"):
        r = api.http.get(path, headers=clerk)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", path
    assert httpx.get(live.url + "/api/stats/summary").status_code == 401
    manager = api.user("boss", "manager")
    assert api.http.get("/api/stats/summary", headers=manager).status_code == 200


def test_tickets_at_2359_and_0001_fall_on_their_service_days(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    kiosk, _ = api.device("kiosk")
    live.runtime.clock = lambda: local(23, 59)
    late = api.issue(kiosk, "invoice")
    live.runtime.clock = lambda: local(0, 1, DAY + timedelta(days=1))
    early = api.issue(kiosk, "invoice")
    assert late["number"] == early["number"]  # numbering restarted with the new day
    first = api.http.get("/api/stats/summary", params={"from": "2025-06-10"}, headers=admin).json()
    second = api.http.get("/api/stats/summary", params={"from": "2025-06-11"},
                          headers=admin).json()
    assert first["issued"] == 1 and second["issued"] == 1
    assert first["by_hour"] == [{"hour": 23, "issued": 1, "wait_avg": None}]
    assert second["by_hour"] == [{"hour": 0, "issued": 1, "wait_avg": None}]
    rows = api.http.get("/api/stats/export.csv", params={"from": "2025-06-10", "to": "2025-06-11"},
                        headers=admin).content.decode("utf-8-sig").splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ["2025-06-10", "2025-06-11"]


def test_figures_can_be_recomputed_from_the_event_log(live: LiveServer, api: Api) -> None:
    now = [local(9, 0)]
    live.runtime.clock = lambda: now[0]

    def at(minutes: float) -> None:
        now[0] = local(9, 0) + timedelta(minutes=minutes)

    admin = api.admin()
    kiosk, _ = api.device("kiosk")
    api.issue(kiosk, "invoice")
    at(2)
    api.issue(kiosk, "invoice")
    at(7)
    assert api.http.post("/api/windows/1/open", headers=admin).status_code == 200
    assert api.http.post("/api/windows/1/call-next", headers=admin).status_code == 200
    at(8)
    api.http.post("/api/windows/1/start", headers=admin)
    at(15)
    api.http.post("/api/windows/1/finish", headers=admin, json={"outcome": "deferred"})
    api.http.post("/api/windows/1/evaluation", headers=admin, json={"grade": 4})
    at(26)
    api.http.post("/api/windows/1/call-next", headers=admin)
    at(30)
    api.http.post("/api/windows/1/finish", headers=admin, json={"outcome": "done"})
    s = api.http.get("/api/stats/summary", params={"from": "2025-06-10"}, headers=admin).json()
    with Session(live.runtime.engine) as session:
        evs = session.exec(select(Event).where(col(Event.ticket_id).is_not(None))
                           .order_by(col(Event.seq))).all()
    issued: dict[int, datetime] = {}
    first_call: dict[int, datetime] = {}
    last_call: dict[int, datetime] = {}
    started: dict[int, datetime] = {}
    services, outcomes, grades = [], [], []
    for e in evs:
        tid = e.ticket_id
        assert tid is not None
        if e.type == "ticket.issued":
            issued[tid] = e.at
        elif e.type in ("ticket.called", "ticket.recalled"):
            first_call.setdefault(tid, e.at)
            last_call[tid] = e.at
        elif e.type == "ticket.started":
            started[tid] = e.at
        elif e.type == "ticket.finished":
            services.append((e.at - started.get(tid, last_call[tid])).total_seconds())
            outcomes.append(json.loads(e.data)["outcome"])
        elif e.type == "ticket.evaluated":
            grades.append(json.loads(e.data)["grade"])
    waits = sorted((first_call[t] - issued[t]).total_seconds() for t in first_call)
    assert waits == [420.0, 1440.0]  # by hand: 09:07 − 09:00 and 09:26 − 09:02
    assert s["wait"]["avg"] == sum(waits) / 2 and s["wait"]["max"] == waits[-1]
    assert sorted(services) == [240.0, 420.0]  # 09:08→09:15 and 09:26→09:30 (never started)
    assert s["service"]["avg"] == sum(services) / 2
    assert s["sla"]["within_pct"] == 50.0 and s["served"] == len(outcomes) == 2
    assert s["outcomes"]["deferred"] == outcomes.count("deferred") == 1
    assert s["satisfaction"]["avg"] == grades[0] == 4
    assert s["issued"] == len(issued) == 2
