"""County benchmarks: issuing across 30 halls on PostgreSQL with two workers, the overview, a hall's
board while the county issues, and county statistics over two million tickets.

Run: .venv/bin/python benchmarks/bench_county.py [--before REF] [--skip-stats]  (prints figures; not a test)
Needs the PostgreSQL server that scripts/test starts (HALL_TEST_PG_URL). Each figure runs on a fresh
database and a fresh `hall serve --workers 2`, as a county would run it. With ``--before REF`` the
issuing figures are also measured for the server at git REF, side by side, servers taken in turn.
Goals (the county issue): 30 halls and 16 clients ≥ 400 tickets/s with p99 ≤ 100 ms, and at least
twice one hall's rate unless one hall alone reaches 400/s; the overview < 300 ms; a hall's board gets
its own calls with p99 ≤ 50 ms meanwhile; county statistics over 2,000,000 tickets < 1 s.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_server import checkout, ms  # noqa: E402
from loadgen import Connection  # noqa: E402

from tests.support.live import ADMIN_PASSWORD, ServedProcess, pg_create_database, pg_drop_database  # noqa: E402

HALLS = 30
CLIENTS = 16
SERVICES = ("invoice", "forestry-permit", "pension-insurance", "business-license")


@contextmanager
def county(halls: int, env: dict[str, str] | None = None) -> Iterator[tuple[str, dict[str, dict[str, str]]]]:
    """Run two workers on a fresh database with `halls` halls; yield the base URL and a kiosk per hall."""
    url = pg_create_database()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            var = Path(tmp) / "var"
            var.mkdir()
            server = ServedProcess(var, url, workers=2, env=env).start()
            try:
                yield server.url, prepare(server.url, halls)
            finally:
                server.stop()
    finally:
        pg_drop_database(url)


def admin_headers(base: str) -> dict[str, str]:
    r = httpx.post(base + "/api/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}, timeout=60)
    r.raise_for_status()
    return {"Authorization": "Bearer " + r.json()["token"]}


def codes(halls: int) -> list[str]:
    return ["puan"] + [f"town-{n:02d}" for n in range(2, halls + 1)]


def prepare(base: str, halls: int) -> dict[str, dict[str, str]]:
    """Add the halls and a kiosk in each; return each hall's kiosk headers."""
    admin = admin_headers(base)
    kiosks = {}
    with httpx.Client(base_url=base, headers=admin, timeout=60) as http:
        for code in codes(halls):
            if code != "puan":
                http.post("/api/county/halls", json={"code": code, "name": code}).raise_for_status()
            where = f"/h/{code}" if halls > 1 else ""  # a release before the county has no prefixes
            r = http.post(f"{where}/api/admin/devices", json={"name": "kiosk", "kind": "kiosk"})
            r.raise_for_status()
            kiosks[code] = {"Authorization": "Bearer " + r.json()["token"]}
    return kiosks


async def issue(base: str, kiosks: dict[str, dict[str, str]], halls: list[str], total: int,
                clients: int = CLIENTS, prefix: bool = True) -> tuple[float, list[float]]:
    """Issue `total` tickets from `clients` clients, client i in hall i mod len(halls)."""
    latencies: list[float] = []
    left = [total]

    async def client(i: int) -> None:
        code = halls[i % len(halls)]
        async with Connection(base, kiosks[code]) as conn:
            while left[0] > 0:
                left[0] -= 1
                body = {"service": SERVICES[i % len(SERVICES)], "channel": "kiosk"}
                started = time.perf_counter()
                path = f"/h/{code}/api/tickets" if prefix else "/api/tickets"
                reply = await conn.post(path, body, {"Idempotency-Key": uuid.uuid4().hex})
                latencies.append(time.perf_counter() - started)
                assert reply.status == 201, reply.text

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return len(latencies) / (time.perf_counter() - started), latencies


def issuing(env: dict[str, str] | None = None, label: str = "", one_hall_only: bool = False) -> dict[str, str]:
    """Issue across 30 halls and into one hall, each on its own fresh county (a release before the
    county serves one hall only)."""
    out = {}
    if one_hall_only:
        with county(1, env) as (base, kiosks):
            asyncio.run(issue(base, kiosks, ["puan"], 300, prefix=False))
            rate, lat = asyncio.run(issue(base, kiosks, ["puan"], 2000, prefix=False))
        print(f"  {label}1 hall, 16 clients: {rate:5.0f}/s · {ms(lat)}", flush=True)
        return {"1 hall, 16 clients": f"{rate:5.0f}/s · {ms(lat)}"}
    with county(HALLS, env) as (base, kiosks):
        every = codes(HALLS)
        asyncio.run(issue(base, kiosks, every, 300))  # warm-up: every hall's first ticket
        rate, lat = asyncio.run(issue(base, kiosks, every, 4000))
        out["30 halls, 16 clients"] = f"{rate:5.0f}/s · {ms(lat)}"
        out["_rate_many"] = str(rate)
    with county(1, env) as (base, kiosks):
        asyncio.run(issue(base, kiosks, ["puan"], 300))
        rate, lat = asyncio.run(issue(base, kiosks, ["puan"], 2000))
        out["1 hall, 16 clients"] = f"{rate:5.0f}/s · {ms(lat)}"
        out["_rate_one"] = str(rate)
    ratio = float(out["_rate_many"]) / float(out["_rate_one"])
    out["ratio 30 halls / 1 hall"] = f"{ratio:.2f}"
    for key, value in out.items():
        if not key.startswith("_"):
            print(f"  {label}{key}: {value}", flush=True)
    return out


async def board_during_load(base: str, kiosks: dict[str, dict[str, str]], admin: dict[str, str]) -> list[float]:
    """Call next at one hall's window while 16 clients issue across the county; time each call to its board."""
    code = "town-02"
    async with Connection(base, admin) as conn:
        await conn.post(f"/h/{code}/api/windows/1/open")
        for _ in range(80):
            await conn.post(f"/h/{code}/api/tickets", {"service": "invoice", "channel": "counter"})
    delays: list[float] = []
    stop = asyncio.Event()
    load = asyncio.create_task(_issue_until(base, kiosks, stop))
    ws_url = base.replace("http://", "ws://") + f"/h/{code}/ws/hall"
    async with websockets.connect(ws_url) as ws, Connection(base, admin) as conn:
        json.loads(await ws.recv())  # the snapshot
        for _ in range(60):
            await conn.post(f"/h/{code}/api/windows/1/finish", {"outcome": "done"})
            started = time.perf_counter()
            reply = await conn.post(f"/h/{code}/api/windows/1/call-next")
            assert reply.status == 200, reply.text
            number = reply.json()["ticket"]["number"]
            while True:
                event = json.loads(await ws.recv())
                if event.get("type") == "ticket.called" and event["ticket"]["number"] == number:
                    delays.append(time.perf_counter() - started)
                    break
    stop.set()
    await load
    return delays


async def _issue_until(base: str, kiosks: dict[str, dict[str, str]], stop: asyncio.Event) -> None:
    every = codes(HALLS)

    async def client(i: int) -> None:
        code = every[i % len(every)]
        async with Connection(base, kiosks[code]) as conn:
            while not stop.is_set():
                await conn.post(f"/h/{code}/api/tickets", {"service": "invoice", "channel": "kiosk"})

    await asyncio.gather(*(client(i) for i in range(CLIENTS)))


def fill_year(url: str, halls: list[str], total: int) -> None:
    """Write a year of served tickets across the halls straight into the database (COPY)."""
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    first = date.today() - timedelta(days=364)
    per_day = total // (len(halls) * 365) + 1
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        columns = ("hall", "day", "number", "number_category", "category", "service", "channel", "status",
                   "call_count", "token", "issued_at", "rank_at", "first_called_at", "called_at", "started_at",
                   "finished_at", "wait_seconds", "service_seconds", "outcome", "window", "appointment_bonus")
        written = 0
        quoted = ", ".join(f'"{c}"' for c in columns)  # "window" is a reserved word
        with cur.copy(f"COPY ticket ({quoted}) FROM STDIN") as copy:
            for d in range(365):
                day = first + timedelta(days=d)
                start = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
                for code in halls:
                    for n in range(per_day):
                        if written >= total:
                            break
                        issued = start + timedelta(seconds=n * 7)
                        wait = (n * 37) % 1800
                        called = issued + timedelta(seconds=wait)
                        copy.write_row((code, day, f"A{n + 1:03d}", "A", "A", "invoice", "kiosk", "done", 1,
                                        uuid.uuid4().hex, issued, issued, called, called, called,
                                        called + timedelta(seconds=300), float(wait), 300.0, "done", 1, 0))
                        written += 1
        conn.commit()
    # A year's tickets were vacuumed many times over by autovacuum; freshly copied ones not yet, and
    # an index-only scan needs the visibility map that VACUUM sets.
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE ticket")


def stats_and_overview(total: int) -> None:
    """County statistics over `total` tickets, and the overview over 30 halls."""
    url = pg_create_database()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            var = Path(tmp) / "var"
            var.mkdir()
            server = ServedProcess(var, url, workers=2).start()
            try:
                base = server.url
                prepare(base, HALLS)
                started = time.perf_counter()
                fill_year(url, codes(HALLS), total)
                print(f"  wrote {total:,} tickets in {time.perf_counter() - started:.0f} s", flush=True)
                admin = admin_headers(base)
                first = (date.today() - timedelta(days=364)).isoformat()
                with httpx.Client(base_url=base, headers=admin, timeout=120) as http:
                    times = []
                    for _ in range(7):
                        t0 = time.perf_counter()
                        r = http.get("/api/county/stats", params={"from": first, "to": date.today().isoformat()})
                        times.append(time.perf_counter() - t0)
                        r.raise_for_status()
                    issued = r.json()["totals"]["issued"]
                    print(f"  county stats over {issued:,} tickets ({HALLS} halls, a year): {ms(times)}", flush=True)
                    times = []
                    for _ in range(15):
                        t0 = time.perf_counter()
                        http.get("/api/county/overview").raise_for_status()
                        times.append(time.perf_counter() - t0)
                    print(f"  overview over {HALLS} halls: {ms(times)}", flush=True)
            finally:
                server.stop()
    finally:
        pg_drop_database(url)


def main() -> None:
    """Run every county benchmark and print the figures."""
    print(f"county benchmarks (PostgreSQL, 2 workers, {HALLS} halls, {CLIENTS} clients, 2-core machine)")
    if "--before" in sys.argv:
        ref = sys.argv[sys.argv.index("--before") + 1]
        county_before = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{ref}:queue_server/county"],
                                       capture_output=True).returncode == 0
        with checkout(ref) as old:
            print(f"before ({ref}{'' if county_before else ', one hall a server'}):")
            issuing(old, "before: ", one_hall_only=not county_before)
    print("after (this checkout):")
    figures = issuing()
    many, one = float(figures["_rate_many"]), float(figures["_rate_one"])
    print(f"  goal: ≥ 400/s (got {many:.0f}) and ≥ 2× one hall ({many / one:.2f}×) unless one hall ≥ 400/s")
    with county(HALLS) as (base, kiosks):
        delays = asyncio.run(board_during_load(base, kiosks, admin_headers(base)))
        print(f"  a hall's board, its own calls while 16 clients issue across the county: {ms(delays)} "
              f"(median {statistics.median(delays) * 1000:.1f} ms; goal p99 ≤ 50 ms)", flush=True)
    if "--skip-stats" not in sys.argv:
        stats_and_overview(2_000_000)


if __name__ == "__main__":
    main()
