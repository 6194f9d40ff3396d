"""Queue server benchmarks: ticket issue, call-next against the backlog, websocket fan-out.

Run: .venv/bin/python benchmarks/bench_server.py [--issue-only] [--before REF]  (not a test)
The server runs in its own process (`hall serve`, SQLite, one worker), as in a hall. With
``--before REF`` issuing is measured side by side in one run: the server as it was at git REF
(exported to a temporary tree and run with PYTHONPATH pointing at it) and the server of this
checkout, on fresh servers taken in turn so that the machine's changes of speed fall on both. Then
on PostgreSQL with two workers when a server is reachable. Requests go through loadgen.py, a lean
client, so the figures are the server's.
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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import websockets
from loadgen import Connection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.live import ADMIN_PASSWORD, ServedProcess  # noqa: E402

SERVICES = ["forestry-permit", "invoice", "pension-insurance", "rural-housing",
            "disability-certificate", "veterans-benefits", "business-license", "gas-service"]


def pct(values: list[float], p: float) -> float:
    """Return the nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(p / 100 * len(ordered))) - 1)]


def start_server(var: Path, env_extra: dict[str, str] | None = None, workers: int = 1) -> ServedProcess:
    """Start `hall serve` as the tests do, in a process of its own; SQLite unless env_extra names a database.

    Its log goes to a file beside ``var``.
    """
    var.mkdir(exist_ok=True)
    env = dict(env_extra or {})
    return ServedProcess(var, env.pop("HALL_DATABASE_URL", ""), workers, env).start()


def admin_headers(base: str) -> dict[str, str]:
    """Log in as admin."""
    r = httpx.post(base + "/api/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    r.raise_for_status()
    return {"Authorization": "Bearer " + r.json()["token"]}


def kiosk_headers(base: str, admin: dict[str, str]) -> dict[str, str]:
    """Register a kiosk."""
    r = httpx.post(base + "/api/admin/devices", headers=admin, json={"name": "k", "kind": "kiosk"})
    return {"Authorization": "Bearer " + r.json()["token"]}


async def issue_one(http: Connection, i: int, latencies: list[float]) -> None:
    """Issue the i-th kiosk ticket (services in turn) and note how long it took."""
    t0 = time.perf_counter()
    r = await http.post("/api/tickets", {"service": SERVICES[i % len(SERVICES)], "channel": "kiosk"})
    latencies.append(time.perf_counter() - t0)
    assert r.status == 201, r.text


async def issue_load(base: str, kiosk: dict[str, str], clients: int, total: int) -> tuple[float, list[float]]:
    """Issue `total` tickets from `clients` concurrent clients; return throughput and latencies."""
    latencies: list[float] = []
    counter = iter(range(total))

    async def client() -> None:
        async with Connection(base, kiosk) as http:
            for i in counter:
                await issue_one(http, i, latencies)

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return total / (time.perf_counter() - t0), latencies


def fill_backlog(url: str, count: int) -> None:
    """Insert waiting tickets straight into the database (issuing 10,000 over HTTP is not the point)."""
    from sqlalchemy import insert

    from queue_server.db.engine import make_engine
    from queue_server.hallconfig.loader import bundled_yaml, parse
    from queue_server.halls.hall import Hall
    from queue_server.tickets.models import Ticket

    hall = Hall(parse(bundled_yaml()), b"x")
    engine = make_engine(url)
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
    async def run() -> list[float]:
        out = []
        async with Connection(base, admin) as http:
            await http.post(f"/api/windows/{window}/open")
            for _ in range(samples):
                t0 = time.perf_counter()
                r = await http.post(f"/api/windows/{window}/call-next")
                out.append(time.perf_counter() - t0)
                assert r.status == 200, r.text
                await http.post(f"/api/windows/{window}/no-show")
        return out

    return asyncio.run(run())


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
    deadline = time.perf_counter() + 60
    while ready < subscribers:
        failed = [t for t in tasks if t.done()]
        if failed or time.perf_counter() > deadline:
            raise RuntimeError(f"only {ready} of {subscribers} websockets connected: "
                               f"{failed[0].exception() if failed else 'timed out'}")
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


PIDS: dict[str, int] = {}  # base URL -> the serving process


def cpu_seconds(base: str) -> float:
    """Return the CPU time (user + system) the server at ``base`` has used so far."""
    fields = Path(f"/proc/{PIDS[base]}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def served(backlog: int = 0, env: dict[str, str] | None = None, workers: int = 1,
           database_url: str | None = None) -> Iterator[tuple[str, Path]]:
    """Run a fresh `hall serve` with `backlog` waiting tickets; yield its base URL and var dir."""
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp) / "var"
        extra = {**(env or {}), **({"HALL_DATABASE_URL": database_url} if database_url else {})}
        server = start_server(var, extra, workers)
        PIDS[server.url] = server.pid
        try:
            if backlog:
                fill_backlog(database_url or f"sqlite:///{var / 'hall.db'}", backlog)
            yield server.url, var
        finally:
            server.stop()


def fsync_times(directory: Path, count: int = 2000) -> list[float]:
    """Time write+fsync pairs on the directory's filesystem (each a 4 KiB append, like a WAL frame)."""
    path = directory / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    times = []
    try:
        for _ in range(count):
            t0 = time.perf_counter()
            os.write(fd, b"x" * 4096)
            os.fsync(fd)
            times.append(time.perf_counter() - t0)
        return times
    finally:
        os.close(fd)
        path.unlink()


async def busy_monday(base: str, kiosk: dict[str, str], clerks: dict[int, dict[str, str]],
                      seconds: float, issuers: int = 4) -> tuple[list[float], list[float], int]:
    """A Monday morning: kiosks issue while all 18 windows call and finish; return both latencies.

    Each clerk calls the next resident, "serves" for 0.2 s and finishes, over and over; each kiosk
    issues back to back. The backlog (filled beforehand) stays in the hundreds.
    """
    issue_lat: list[float] = []
    call_lat: list[float] = []
    finished = 0

    async def kiosk_loop(k: int) -> None:
        i = k
        async with Connection(base, kiosk) as http:
            while time.perf_counter() < stop:
                await issue_one(http, i, issue_lat)
                i += issuers

    async def clerk_loop(n: int) -> None:
        nonlocal finished
        async with Connection(base, clerks[n]) as http:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                r = await http.post(f"/api/windows/{n}/call-next")
                call_lat.append(time.perf_counter() - t0)
                if r.status == 204:
                    await asyncio.sleep(0.2)
                    continue
                assert r.status == 200, r.text
                await asyncio.sleep(0.2)
                done = await http.post(f"/api/windows/{n}/finish", {"outcome": "done"})
                assert done.status == 200, done.text
                finished += 1

    for n, headers in clerks.items():
        async with Connection(base, headers) as http:
            r = await http.post(f"/api/windows/{n}/open")
            assert r.status == 200, r.text
    stop = time.perf_counter() + seconds
    await asyncio.gather(*(kiosk_loop(k) for k in range(issuers)), *(clerk_loop(n) for n in clerks))
    return issue_lat, call_lat, finished


def clerk_headers(base: str, admin: dict[str, str], windows: int = 18) -> dict[int, dict[str, str]]:
    """Create one clerk per window and log each in."""
    out = {}
    with httpx.Client(base_url=base, timeout=30) as http:
        for n in range(1, windows + 1):
            r = http.post("/api/admin/users", headers=admin, json={
                "username": f"clerk{n}", "password": "password-123", "role": "clerk"})
            assert r.status_code == 201, r.text
            r = http.post("/api/auth/login", json={"username": f"clerk{n}", "password": "password-123"})
            r.raise_for_status()
            out[n] = {"Authorization": "Bearer " + r.json()["token"]}
    return out


SERVERS = 3  # fresh servers each issuing figure is pooled over


class Figures(dict[str, str]):
    """Printable figures, each also printed as soon as it is measured."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def __setitem__(self, key: str, value: str) -> None:
        print(f"  [{self.label}] {key}: {value}", flush=True)
        super().__setitem__(key, value)


@dataclass
class Pooled:
    """Issuing measured on several fresh servers, pooled: every latency, and totals."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0  # time spent issuing, all servers together
    cpu: float = 0.0  # the servers' CPU time meanwhile
    each: list[str] = field(default_factory=list)  # each server's rate and p99

    @property
    def rate(self) -> float:
        """Return tickets a second over all servers."""
        return len(self.latencies) / self.seconds

    @property
    def cpu_ms(self) -> float:
        """Return the servers' CPU time a ticket, in milliseconds."""
        return self.cpu / len(self.latencies) * 1000


def pooled(envs: list[dict[str, str]], clients: int, tickets: int, backlog: int = 0) -> list[Pooled]:
    """Issue ``tickets`` from ``clients`` clients on SERVERS fresh servers of each kind, in turn; pool each."""
    out = [Pooled() for _ in envs]
    for _ in range(SERVERS):
        for env, figures in zip(envs, out, strict=True):
            with served(backlog=backlog, env=env) as (base, _):
                kiosk = kiosk_headers(base, admin_headers(base))
                asyncio.run(issue_load(base, kiosk, clients, 32))  # warm-up
                before = cpu_seconds(base)
                rate, some = asyncio.run(issue_load(base, kiosk, clients, tickets))
                figures.cpu += cpu_seconds(base) - before
                figures.seconds += tickets / rate
                figures.latencies += some
                figures.each.append(f"{rate:.0f}/s p99 {pct(some, 99) * 1000:.0f} ms")
    return out


def issue_figures(envs: dict[str, dict[str, str]]) -> dict[str, Figures]:
    """Measure issuing and the Monday morning for each server kind; return printable figures."""
    labels = list(envs)
    out = {label: Figures(label) for label in labels}
    # One client is measured on three fresh servers of each kind and pooled: a single server's
    # figure moves by a third from one start to the next on this machine.
    for label, one in zip(labels, pooled(list(envs.values()), 1, 300), strict=True):
        out[label]["issue, 1 client"] = f"{one.rate:5.0f}/s · {ms(one.latencies)}"
        out[label]["  server CPU a ticket, 1 client"] = f"{one.cpu_ms:.2f} ms"
    # So are 16 clients, for their tail: 16 requests in flight share each commit, so a single
    # fsync stall holds 16 of 1,000 answers, more than the 1 % a p99 leaves out.
    for backlog in (300, 2000):
        for label, many in zip(labels, pooled(list(envs.values()), 16, 1000, backlog), strict=True):
            out[label][f"issue, 16 clients, backlog {backlog:,}"] = f"{many.rate:5.0f}/s · {ms(many.latencies)}"
            out[label][f"  each server, backlog {backlog:,}"] = ", ".join(many.each)
            out[label][f"  server CPU a ticket, backlog {backlog:,}"] = (
                f"{many.cpu_ms:.2f} ms (one core: {1000 / many.cpu_ms:.0f}/s at most)")
    for label, env in envs.items():
        with served(backlog=300, env=env) as (base, _):
            admin = admin_headers(base)
            kiosk, clerks = kiosk_headers(base, admin), clerk_headers(base, admin)
            issued, called, finished = asyncio.run(busy_monday(base, kiosk, clerks, 20.0))
            out[label]["Monday: residents finished"] = f"{finished:5d} in 20 s"
            out[label]["Monday: issue (4 kiosks)"] = f"{len(issued) / 20:5.0f}/s · {ms(issued)}"
            out[label]["Monday: call-next (18 windows)"] = f"{len(called) / 20:5.0f}/s · {ms(called)}"
    return out


@contextmanager
def checkout(ref: str) -> Iterator[dict[str, str]]:
    """Export git REF to a temporary tree; yield the environment that runs its server."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        yield {"PYTHONPATH": tmp}


def side_by_side(before: dict[str, str], after: dict[str, str], ref: str) -> None:
    """Print before and after in two columns."""
    width = max(44, *(len(value) + 1 for value in before.values()))
    print(f"{'':34} {'before (' + ref + ')':{width}} after (this checkout)")
    for key in after:
        print(f"{key:34} {before.get(key, '-'):{width}} {after[key]}")


def postgres_figures() -> None:
    """Issue on PostgreSQL with two workers (the database's own concurrency, no group commit)."""
    from tests.support.live import pg_create_database, pg_drop_database

    for label, clients, backlog in (("1 client", 1, 0), ("16 clients, backlog 300", 16, 300)):
        try:
            url = pg_create_database()
        except Exception as exc:  # no server: say so rather than fail the whole run
            print(f"PostgreSQL: not measured ({exc.__class__.__name__})")
            return
        try:
            with served(backlog=backlog, workers=2, database_url=url) as (base, _):
                kiosk = kiosk_headers(base, admin_headers(base))
                asyncio.run(issue_load(base, kiosk, clients, 32))  # warm-up
                rate, lat = asyncio.run(issue_load(base, kiosk, clients, 300 if clients == 1 else 1000))
                print(f"PostgreSQL, 2 workers, issue, {label}: {rate:5.0f}/s · {ms(lat)}")
        finally:
            pg_drop_database(url)


def main() -> None:
    """Run every benchmark and print the figures."""
    print("queue server benchmarks (SQLite, one worker, synchronous=FULL, 2-core machine)")
    with tempfile.TemporaryDirectory(dir=ROOT / "var" if (ROOT / "var").is_dir() else None) as tmp:
        times = fsync_times(Path(tmp))
    # The tail matters too: a commit waits for its fsync, and every request in its batch with it.
    print(f"fsync rate of the var dir's filesystem: {len(times) / sum(times):.0f}/s · {ms(times)}"
          f" · slowest {max(times) * 1000:.0f} ms")
    if "--before" in sys.argv:
        ref = sys.argv[sys.argv.index("--before") + 1]
        with checkout(ref) as old:
            figures = issue_figures({"before": old, "after": {}})
        side_by_side(figures["before"], figures["after"], ref)
    else:
        issue_figures({"this checkout": {}})
    postgres_figures()
    if "--issue-only" in sys.argv:
        return
    medians = {}
    for backlog in (10, 10_000):
        with served(backlog=backlog + 200) as (base, _):
            lat = call_next_latency(base, admin_headers(base), 1, 200)
            medians[backlog] = statistics.median(lat)
            print(f"call-next, {backlog:>6} waiting: {ms(lat)}")
    print(f"call-next median ratio 10,000 / 10 waiting: {medians[10_000] / medians[10]:.2f}")
    # The hall caps /ws/hall sockets (500, 50 an address); 1,000 from one machine need more.
    with served(backlog=100, env={"HALL_WS_HALL_MAX": "2000", "HALL_WS_HALL_PER_IP": "2000"}) as (base, _):
        ws_base = base.replace("http://", "ws://")
        delays = asyncio.run(fanout(base, ws_base, admin_headers(base), 1000, 20))
        print(f"fan-out to 1,000 websocket clients ({len(delays)} deliveries): {ms(delays)}")


if __name__ == "__main__":
    main()
