"""Time GET /api/stats/staffing over a year of a busy hall's tickets (1,500 a working day), on SQLite and PostgreSQL.

The year is simulated once, day by day, and written in bulk into both databases in the rows the server
writes (tickets, counters, window stretches; no event log, which the route does not read). Then a live
server answers the route repeatedly for every weekday, with the default 8 weeks and with the most (52).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from queue_server.app.bootstrap import prepare
from queue_server.core.settings import ServerSettings
from queue_server.db.bus import MessageBus
from queue_server.db.engine import make_engine
from queue_server.db.uow import Database
from queue_server.devtools.history import Busy, simulate_day
from queue_server.devtools.history_store import history_actors, working_days, write_day
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer, pg_create_database, pg_drop_database

NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # Tuesday 8 December 2026, 09:00 in the hall
PER_DAY = 1500
# Every window open all day, each service a little under half its configured time: 1,500 a day get served.
BUSY = Busy(per_day=PER_DAY, monday=1.0, monday_morning=1.0, early=0, windows=tuple(range(1, 19)), mornings=(),
            service_factor=0.45, errand=0.1)
RUNS = 15
BUDGET_MS = 1000.0


def settings(var: Path, url: str) -> ServerSettings:
    """Return the settings of a benchmark hall on this database."""
    return ServerSettings(var_dir=var, database_url=url, admin_password=ADMIN_PASSWORD, secret_key="bench-secret",
                          access_log=False)


def fill(urls: dict[str, str], var: Path) -> int:
    """Simulate a year of working days before NOW and write each day into every database; return the tickets."""
    engines = {name: make_engine(url) for name, url in urls.items()}
    try:
        halls = {name: prepare(settings(var / name, urls[name]), e, NOW).default for name, e in engines.items()}
        dbs = {name: Database(e, halls[name], bus=MessageBus()) for name, e in engines.items()}
        actors = {name: history_actors(db, BUSY, NOW) for name, db in dbs.items()}
        hall = next(iter(halls.values()))
        today = hall.day(NOW)
        days = working_days(hall, today - timedelta(days=365), today - timedelta(days=1))
        rng, tickets, started = random.Random(11), 0, time.perf_counter()
        for k, day in enumerate(days, 1):
            past = simulate_day(hall, day, BUSY, rng)
            tickets += len(past.tickets)
            for name, db in dbs.items():
                db.run_write(partial(write_day, past=past, actors=actors[name], events=False))
            if k % 50 == 0:
                print(f"  {k}/{len(days)} days, {tickets:,} tickets, {time.perf_counter() - started:.0f} s", flush=True)
        return tickets
    finally:
        for e in engines.values():
            e.dispose()


def p99(values: list[float]) -> float:
    """Return the nearest-rank 99th percentile."""
    s = sorted(values)
    return s[max(0, -(-99 * len(s) // 100) - 1)]


def measure(name: str, url: str, var: Path) -> float:
    """Serve the filled database and time the route for each weekday; return the worst median in ms."""
    live = LiveServer(var / name, url, access_log=False).start()
    api = Api(live.url)
    worst = 0.0
    try:
        live.runtime.clock = lambda: NOW
        boss = api.user(f"boss{time.time_ns() % 10**9}", "manager")  # a new one each run: --data keeps users
        for weeks in (8, 52):
            ms: list[float] = []
            for _ in range(RUNS):
                for weekday in range(1, 6):
                    t = time.perf_counter()
                    r = api.http.get("/api/stats/staffing", headers=boss, params={"weekday": weekday, "weeks": weeks})
                    ms.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200, r.text
                    body = r.json()
                    assert weeks - 4 <= len(body["days"]) <= weeks, body["days"]  # holidays take a few
            peak = max(i["arrivals"] for i in body["intervals"])
            print(f"{name:10s} weeks={weeks:2d}  days={len(body['days']):2d}  peak {peak:5.1f} arrivals/half-hour  "
                  f"backtest {body['backtest']['arrivals_mape_pct']:.1f}%  "
                  f"p50 {statistics.median(ms):7.1f} ms  p99 {p99(ms):7.1f} ms  (n={len(ms)})", flush=True)
            if weeks == 8:
                worst = max(worst, statistics.median(ms))
    finally:
        api.close()
        live.stop()
    return worst


def main(argv: list[str]) -> int:
    """Fill SQLite and PostgreSQL with the same year, time the route on each, fail over the budget.

    `--data DIR` keeps both databases (DIR/hall.db and the PostgreSQL database named in DIR/pg.txt) and
    reuses them on the next run, which then only measures.
    """
    keep = Path(argv[argv.index("--data") + 1]) if "--data" in argv else None
    with tempfile.TemporaryDirectory() as tmp:
        var = keep or Path(tmp)
        var.mkdir(parents=True, exist_ok=True)
        named = var / "pg.txt"
        filled = keep is not None and named.exists() and (var / "hall.db").exists()
        pg = named.read_text().strip() if filled else pg_create_database()
        try:
            urls = {"sqlite": f"sqlite:///{var / 'hall.db'}", "postgresql": pg}
            if not filled:
                t0 = time.perf_counter()
                tickets = fill(urls, var)
                print(f"wrote {tickets:,} tickets (a year at {PER_DAY:,} a working day) into SQLite and PostgreSQL "
                      f"in {time.perf_counter() - t0:.0f} s", flush=True)
                named.write_text(pg)
            worst = max(measure(name, url, var) for name, url in urls.items())
        finally:
            if keep is None:
                pg_drop_database(pg)
    if worst > BUDGET_MS:
        print(f"FAIL: median over {BUDGET_MS:.0f} ms with the default 8 weeks")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
