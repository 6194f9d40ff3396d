"""Time GET /api/stats/summary over 100,000 tickets (about two busy years) on SQLite."""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from queue_server.tickets.models import Evaluation, Ticket
from tests.support.live import Api, LiveServer

TICKETS = 100_000
DAYS = 730
RUNS = 7


def fill(live: LiveServer) -> tuple[date, date]:
    """Insert TICKETS tickets over DAYS service days in bulk; return the first and last day."""
    rng = random.Random(3)
    hall = live.runtime.hall
    services = sorted(hall.services)
    first = date(2023, 1, 2)
    per_day = TICKETS // DAYS + 1
    tickets, grades = [], []
    n = 0
    for d in range(DAYS):
        day = first + timedelta(days=d)
        for k in range(per_day):
            if n >= TICKETS:
                break
            n += 1
            local = datetime(day.year, day.month, day.day, 8, 30, tzinfo=UTC) + timedelta(
                seconds=rng.uniform(0, 8.5 * 3600))
            issued = local - timedelta(hours=8)
            wait = rng.expovariate(1 / 600)
            service = rng.gammavariate(2, 200)
            status = rng.choices(["done", "no_show", "cancelled", "expired"], [88, 6, 3, 3])[0]
            called = issued + timedelta(seconds=wait) if status in ("done", "no_show") else None
            finished = called + timedelta(seconds=service) if status == "done" and called else None
            tickets.append({
                "id": n, "hall": hall.code, "day": day, "number": f"A{k + 1:03d}",
                "number_category": "A", "category": "A", "service": rng.choice(services),
                "channel": rng.choice(["kiosk", "kiosk", "kiosk", "mobile", "counter"]),
                "priority": None, "status": status,
                "outcome": rng.choice(["done", "done", "deferred", "proxy", "incomplete"])
                if finished else None,
                "window": rng.randint(1, 18) if called else None,
                "clerk": f"clerk{rng.randint(1, 30)}" if called else None, "call_count": 1,
                "token": f"tok{n}", "issued_at": issued, "rank_at": issued,
                "first_called_at": called, "called_at": called, "started_at": called,
                "finished_at": finished, "closed_at": finished,
                "wait_seconds": wait if called else None,
                "service_seconds": service if finished else None,
                "eta_at_issue": max(0.0, wait / 60 + rng.gauss(0, 3)),
            })
            if finished and rng.random() < 0.4:
                grades.append({"hall": hall.code, "ticket_id": n, "window": 1, "clerk": "c",
                               "grade": rng.choices([5, 4, 3, 2, 1], [60, 25, 8, 4, 3])[0],
                               "reasons": "[]", "source": "pad", "at": finished})
    with live.runtime.engine.begin() as conn:
        conn.execute(insert(Ticket), tickets)
        conn.execute(insert(Evaluation), grades)
    return first, first + timedelta(days=DAYS - 1)


def timed(api: Api, headers: dict[str, str], params: dict[str, str]) -> tuple[list[float], dict]:
    """Call the summary RUNS times and return the durations in ms and the last body."""
    out, body = [], {}
    for _ in range(RUNS):
        t0 = time.perf_counter()
        r = api.http.get("/api/stats/summary", params=params, headers=headers)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, r.text
        body = r.json()
    return out, body


def p99(values: list[float]) -> float:
    """Return the nearest-rank 99th percentile."""
    s = sorted(values)
    return s[max(0, -(-99 * len(s) // 100) - 1)]


def main() -> None:
    """Fill a fresh database and report median and p99 timings."""
    with tempfile.TemporaryDirectory() as tmp:
        live = LiveServer(Path(tmp) / "var").start()
        try:
            t0 = time.perf_counter()
            first, last = fill(live)
            print(f"inserted {TICKETS:,} tickets over {DAYS} days in "
                  f"{time.perf_counter() - t0:.1f} s")
            api = Api(live.url)
            admin = api.admin()
            for name, params in (
                ("whole range (2 years)", {"from": first.isoformat(), "to": last.isoformat()}),
                ("one month", {"from": "2024-03-01", "to": "2024-03-31"}),
                ("one day", {"from": "2024-03-12"}),
            ):
                ms, body = timed(api, admin, params)
                print(f"{name:24s} issued={body['issued']:>7,}  median {statistics.median(ms):7.1f} ms"
                      f"  p99 {p99(ms):7.1f} ms  (n={RUNS})")
            api.close()
        finally:
            live.stop()


if __name__ == "__main__":
    main()
