"""Time GET /api/stats/cases over 100,000 cases accepted across a year, on SQLite."""

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

from queue_server.cases.models import Case
from queue_server.domain.cases import format_case_number
from queue_server.domain.workdays import add_working_days
from tests.support.live import Api, LiveServer

CASES = 100_000
FIRST = date(2026, 1, 1)
DAYS = 365
RUNS = 9
BUDGET_MS = 1000.0


def fill(live: LiveServer) -> None:
    """Insert CASES cases over DAYS days in bulk: a realistic mix of modes, states and delays."""
    rng = random.Random(5)
    hall = live.runtime.hall
    cal = hall.calendar
    matters = [m for m in hall.config.matters]
    end = FIRST + timedelta(days=DAYS - 1)
    rows, per_day = [], CASES // DAYS + 1
    n = 0
    for d in range(DAYS):
        day = FIRST + timedelta(days=d)
        for k in range(per_day):
            if n >= CASES:
                break
            n += 1
            m = rng.choice(matters)
            mode = m.mode.value if m.handled_here else "proxy"
            promised = 0 if mode == "onsite" else m.promised_days
            accepted = datetime(day.year, day.month, day.day, 1, tzinfo=UTC) + timedelta(
                seconds=rng.uniform(0, 8 * 3600))
            suspended = rng.choice([0] * 8 + [1, 3])
            due = add_working_days(day, promised + suspended, cal)
            done_on = None if mode != "onsite" else day
            if mode != "onsite" and rng.random() < 0.9:
                done_on = due + timedelta(days=rng.randint(-promised, 0) if rng.random() < 0.93 else 2)
                done_on = max(day, done_on)
            if done_on is not None and done_on > end:
                done_on = None
            status = "delivered" if done_on else rng.choice(["accepted", "processing", "suspended"])
            rows.append({
                "id": n, "hall": hall.code, "number": format_case_number(day, k + 1), "matter": m.code,
                "service": m.service, "department": m.department, "mode": mode,
                "channel": "window", "status": status, "applicant_name": "测试",
                "applicant_phone": "13800000000", "received_materials": "[]", "accepted_by": "bench",
                "accepted_at": accepted, "accepted_on": day, "promised_days": promised, "due_date": due,
                "suspended_days": suspended, "missing": "[]",
                "suspended_on": day if status == "suspended" else None,
                "completed_at": accepted if done_on else None, "completed_on": done_on,
                "result": "approved" if done_on else None, "on_time": (done_on <= due) if done_on else None,
                "token": f"t{n}",
            })
    with live.runtime.engine.begin() as conn:
        conn.execute(insert(Case), rows)


def p99(values: list[float]) -> float:
    """Return the nearest-rank 99th percentile."""
    s = sorted(values)
    return s[max(0, -(-99 * len(s) // 100) - 1)]


def main() -> int:
    """Fill a fresh database and report median and p99 timings; fail over the budget."""
    with tempfile.TemporaryDirectory() as tmp:
        live = LiveServer(Path(tmp) / "var").start()
        try:
            t0 = time.perf_counter()
            fill(live)
            print(f"inserted {CASES:,} cases over {DAYS} days in {time.perf_counter() - t0:.1f} s")
            api = Api(live.url)
            admin = api.admin()
            worst = 0.0
            for name, params in (("one year", {"from": "2026-01-01", "to": "2026-12-31"}),
                                 ("one month", {"from": "2026-06-01", "to": "2026-06-30"}),
                                 ("one day", {"from": "2026-06-15"})):
                ms, body = [], {}
                for _ in range(RUNS):
                    t = time.perf_counter()
                    r = api.http.get("/api/stats/cases", params=params, headers=admin)
                    ms.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200, r.text
                    body = r.json()
                worst = max(worst, statistics.median(ms))
                print(f"{name:10s} accepted={body['accepted']:>7,} completed={body['completed']:>7,} "
                      f"on_time={body['on_time_pct']}%  median {statistics.median(ms):7.1f} ms  "
                      f"p99 {p99(ms):7.1f} ms  (n={RUNS})")
            api.close()
        finally:
            live.stop()
    if worst > BUDGET_MS:
        print(f"FAIL: median over {BUDGET_MS:.0f} ms")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
