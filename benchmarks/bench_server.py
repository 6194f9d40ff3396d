"""Queue server benchmarks: ticket issue, call-next against the backlog, websocket fan-out.

Run: .venv/bin/python benchmarks/bench_server.py  (prints the figures; not a test)
The server runs in its own process (`hall serve`, SQLite, one worker), as in a hall.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVICES = ["forestry-permit", "invoice", "pension-insurance", "rural-housing",
            "disability-certificate", "veterans-benefits", "business-license", "gas-service"]
PASSWORD = "bench-admin-pass"


def pct(values: list[float], p: float) -> float:
    """Return the nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(p / 100 * len(ordered))) - 1)]


def start_server(var: Path, port: int) -> subprocess.Popen[bytes]:
    """Start `hall serve` on SQLite in a separate process."""
    env = {**os.environ, "HALL_VAR_DIR": str(var), "HALL_ADMIN_PASSWORD": PASSWORD,
           "HALL_SECRET_KEY": "bench"}
    proc = subprocess.Popen([sys.executable, "-m", "queue_server.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def admin_headers(base: str) -> dict[str, str]:
    """Log in as admin."""
    r = httpx.post(base + "/api/auth/login", json={"username": "admin", "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": "Bearer " + r.json()["token"]}


def kiosk_headers(base: str, admin: dict[str, str]) -> dict[str, str]:
    """Register a kiosk."""
    r = httpx.post(base + "/api/admin/devices", headers=admin, json={"name": "k", "kind": "kiosk"})
    return {"Authorization": "Bearer " + r.json()["token"]}


async def issue_load(base: str, kiosk: dict[str, str], clients: int, total: int,
                     steady: bool = False) -> tuple[float, list[float]]:
    """Issue `total` tickets from `clients` concurrent clients; return throughput and latencies.

    With `steady`, each client cancels its ticket right after (untimed, but on the same server),
    so the backlog stays as small as a hall's instead of growing by every ticket issued.
    """
    latencies: list[float] = []
    counter = iter(range(total))

    async def client(http: httpx.AsyncClient) -> None:
        for i in counter:
            t0 = time.perf_counter()
            r = await http.post("/api/tickets", headers=kiosk,
                                json={"service": SERVICES[i % len(SERVICES)], "channel": "kiosk"})
            latencies.append(time.perf_counter() - t0)
            assert r.status_code == 201, r.text
            if steady:
                t = r.json()
                await http.post(f"/api/tickets/{t['id']}/cancel", params={"token": t["token"]})

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - t0
    return total / elapsed, latencies


def fill_backlog(var: Path, count: int) -> None:
    """Insert waiting tickets straight into the database (issuing 10,000 over HTTP is not the point)."""
    from sqlalchemy import insert

    from queue_server.db.engine import make_engine
    from queue_server.hall import Hall
    from queue_server.hallconfig.loader import bundled_yaml, parse
    from queue_server.tickets.models import Ticket

    hall = Hall(parse(bundled_yaml()), b"x")
    engine = make_engine(f"sqlite:///{var / 'hall.db'}")
    now = datetime.now(UTC) - timedelta(hours=1)
    day = hall.day(now)
    rows = []
    for i in range(count):
        service = SERVICES[i % len(SERVICES)]
        cat = hall.service_category[service]
        at = now + timedelta(milliseconds=i)
        rows.append({"hall": hall.code, "day": day, "number": f"Z{i + 1:05d}", "number_category": cat,
                     "category": cat, "service": service, "channel": "kiosk", "status": "waiting",
                     "call_count": 0, "token": f"t{i}", "issued_at": at, "rank_at": at})
    with engine.begin() as conn:
        conn.execute(insert(Ticket), rows)
    engine.dispose()


def call_next_latency(base: str, admin: dict[str, str], window: int, samples: int) -> list[float]:
    """Time call-next at one window; mark each called ticket a no-show (untimed)."""
    out = []
    with httpx.Client(base_url=base, timeout=30) as http:
        http.post(f"/api/windows/{window}/open", headers=admin)
        for _ in range(samples):
            t0 = time.perf_counter()
            r = http.post(f"/api/windows/{window}/call-next", headers=admin)
            out.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
            http.post(f"/api/windows/{window}/no-show", headers=admin)
    return out


async def fanout(base: str, ws_base: str, admin: dict[str, str], subscribers: int, calls: int) -> list[float]:
    """Connect many /ws/hall clients; time each call-next response to its arrival at every client."""
    arrivals: dict[int, list[float]] = {}
    ready = 0

    async def listen() -> None:
        nonlocal ready
        async with websockets.connect(ws_base + "/ws/hall", max_size=None, ping_interval=None) as ws:
            await ws.recv()  # snapshot
            ready += 1
            while True:
                msg = json.loads(await ws.recv())
                if msg.get("type") == "ticket.called":
                    arrivals.setdefault(msg["ticket"]["id"], []).append(time.perf_counter())

    tasks = [asyncio.create_task(listen()) for _ in range(subscribers)]
    while ready < subscribers:
        await asyncio.sleep(0.05)
    delays: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        await http.post("/api/windows/2/open", headers=admin)
        for _ in range(calls):
            r = await http.post("/api/windows/2/call-next", headers=admin)
            done = time.perf_counter()
            ticket_id = r.json()["ticket"]["id"]
            deadline = time.perf_counter() + 10
            while len(arrivals.get(ticket_id, [])) < subscribers and time.perf_counter() < deadline:
                await asyncio.sleep(0.002)
            delays.extend(max(0.0, a - done) for a in arrivals.get(ticket_id, []))
            await http.post("/api/windows/2/no-show", headers=admin)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return delays


def ms(values: list[float]) -> str:
    """Format median and p99 in milliseconds."""
    return f"p50 {statistics.median(values) * 1000:.1f} ms · p99 {pct(values, 99) * 1000:.1f} ms"


@contextmanager
def served(backlog: int = 0) -> Iterator[tuple[str, Path]]:
    """Run a fresh `hall serve` with `backlog` waiting tickets; yield its base URL and var dir."""
    from tests.support.live import free_port

    with tempfile.TemporaryDirectory() as tmp:
        var, port = Path(tmp), free_port()
        proc = start_server(var, port)
        try:
            if backlog:
                fill_backlog(var, backlog)
            yield f"http://127.0.0.1:{port}", var
        finally:
            proc.terminate()
            proc.wait()


def main() -> None:
    """Run every benchmark and print the figures."""
    print("queue server benchmarks (SQLite, one worker, 2-core machine)")
    with served() as (base, _):
        kiosk = kiosk_headers(base, admin_headers(base))
        rate, lat = asyncio.run(issue_load(base, kiosk, 1, 300))
        print(f"issue, 1 client:    {rate:6.0f} tickets/s · {ms(lat)}  (backlog grows 0 → 300)")
        rate, lat = asyncio.run(issue_load(base, kiosk, 16, 2000))
        print(f"issue, 16 clients:  {rate:6.0f} tickets/s · {ms(lat)}  (backlog grows 300 → 2,300)")
    with served(backlog=50) as (base, _):
        kiosk = kiosk_headers(base, admin_headers(base))
        rate, lat = asyncio.run(issue_load(base, kiosk, 1, 300, steady=True))
        print(f"issue, 1 client, backlog held near 50:    {rate:6.0f} tickets/s · {ms(lat)}")
        rate, lat = asyncio.run(issue_load(base, kiosk, 16, 1000, steady=True))
        print(f"issue, 16 clients, backlog held near 65:  {rate:6.0f} tickets/s · {ms(lat)}"
              "  (each also cancels, untimed)")
    medians = {}
    for backlog in (10, 10_000):
        with served(backlog=backlog + 200) as (base, _):
            lat = call_next_latency(base, admin_headers(base), 1, 200)
            medians[backlog] = statistics.median(lat)
            print(f"call-next, {backlog:>6} waiting: {ms(lat)}")
    print(f"call-next median ratio 10,000 / 10 waiting: {medians[10_000] / medians[10]:.2f}")
    with served(backlog=100) as (base, _):
        ws_base = base.replace("http://", "ws://")
        delays = asyncio.run(fanout(base, ws_base, admin_headers(base), 1000, 20))
        print(f"fan-out to 1,000 websocket clients ({len(delays)} deliveries): {ms(delays)}")


if __name__ == "__main__":
    main()
