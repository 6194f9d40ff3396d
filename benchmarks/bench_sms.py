"""SMS benchmarks: from a call to the gateway's receipt of its text; issuing with texts on and off.

Run: .venv/bin/python benchmarks/bench_sms.py [--calls N] [--tickets N] [--rounds N]  (not a test)
The server runs in its own process (`hall serve`, SQLite, one worker), as in a hall, its texts going
through the `http` provider to a local gateway (tests/support/sms_gateway.py) on a real socket.

(a) call → text: a window calls the next of a backlog of texted tickets; the time from the
    call-next answer to the gateway's receipt of the `called` POST, over every call.
(b) issuing: kiosk tickets from 8 clients; "on" is a hall with the http provider and every ticket
    carrying a phone, "off" the default hall (log provider) with no phones. The two servers take
    turns, round after round, so the machine's changes of speed fall on both.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loadgen import Connection

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_server import SERVICES, admin_headers, kiosk_headers, ms, pct, start_server  # noqa: E402

from tests.support.halls import hall_yaml  # noqa: E402
from tests.support.sms_gateway import GatewayPost, SmsGateway  # noqa: E402


@contextmanager
def served(gateway: SmsGateway | None, tmp: Path, name: str) -> Iterator[str]:
    """Run `hall serve` texting through the gateway (or the default hall without one); yield its URL."""
    env = {}
    if gateway is not None:
        sms = {"sms": {"provider": "http", "http_url": gateway.url, "quiet_hours": []}}
        env["HALL_CONFIG"] = str(hall_yaml(tmp / f"{name}.yaml", settings=sms))
    server = start_server(tmp / name, env)
    try:
        yield server.url
    finally:
        server.stop()


def texted_backlog(var: Path, count: int) -> None:
    """Insert waiting tickets with phones straight into the database (issuing them is not the point)."""
    from sqlalchemy import insert

    from queue_server.db.engine import make_engine
    from queue_server.hallconfig.loader import bundled_yaml, parse
    from queue_server.halls.hall import Hall
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
                     "call_count": 0, "token": f"t{i}", "issued_at": at, "rank_at": at,
                     "phone": f"138{i:08d}", "sms": True})
    with engine.begin() as conn:
        conn.execute(insert(Ticket), rows)
    engine.dispose()


def call_to_text(calls: int) -> list[float]:
    """Time each call-next answer to the gateway's receipt of its `called` text."""
    with tempfile.TemporaryDirectory() as tmp, SmsGateway() as gateway, \
            served(gateway, Path(tmp), "calls") as base:
        texted_backlog(Path(tmp) / "calls", calls + 10)
        admin = admin_headers(base)

        async def run() -> list[float]:
            out: list[float] = []
            async with Connection(base, admin) as http:
                r = await http.post("/api/windows/3/open")
                assert r.status == 200, r.text
                for _ in range(calls):
                    r = await http.post("/api/windows/3/call-next")
                    answered = time.monotonic()
                    assert r.status == 200, r.text
                    number = r.json()["ticket"]["number"]
                    post = await asyncio.to_thread(called_post, gateway, number)
                    out.append(post.at - answered)
                    await http.post("/api/windows/3/no-show")
            return out

        return asyncio.run(run())


def called_post(gateway: SmsGateway, number: str, timeout: float = 10.0) -> GatewayPost:
    """Wait for the `called` text of a ticket number (the `ahead` texts of others come in between)."""
    seen = 0
    while True:
        posts = gateway.wait_for(seen + 1, timeout)
        for post in posts[seen:]:
            if post.json["kind"] == "called" and post.json["params"]["number"] == number:
                return post
        seen = len(posts)


async def issue_round(base: str, kiosk: dict[str, str], total: int, phones: bool, start: int,
                      clients: int = 8) -> list[float]:
    """Issue `total` kiosk tickets from `clients` connections; return each one's latency."""
    latencies: list[float] = []
    counter = iter(range(start, start + total))

    async def client() -> None:
        async with Connection(base, kiosk) as http:
            for i in counter:
                body = {"service": SERVICES[i % len(SERVICES)], "channel": "kiosk"}
                if phones:
                    body["phone"] = f"139{i:08d}"
                t0 = time.perf_counter()
                r = await http.post("/api/tickets", body)
                latencies.append(time.perf_counter() - t0)
                assert r.status == 201, r.text

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


def issuing_on_off(tickets: int, rounds: int) -> tuple[list[float], list[float]]:
    """Issue on a texting hall and on a plain one, taking turns; return (on, off) latencies."""
    on: list[float] = []
    off: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, SmsGateway() as gateway, \
            served(gateway, Path(tmp), "on") as on_base, served(None, Path(tmp), "off") as off_base:
        kiosks = {b: kiosk_headers(b, admin_headers(b)) for b in (on_base, off_base)}
        per_round = tickets // rounds
        for r in range(rounds):
            order = [(on_base, True, on), (off_base, False, off)]
            for base, phones, into in (order if r % 2 == 0 else order[::-1]):
                into.extend(asyncio.run(issue_round(base, kiosks[base], per_round, phones, r * per_round)))
    return on, off


def main() -> int:
    """Run both measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    print("SMS benchmarks (SQLite, one worker, http provider to a local gateway)")
    delays = call_to_text(args.calls)
    goal = "met" if pct(delays, 99) <= 0.5 else "MISSED"
    print(f"call-next answered → gateway received `called` ({len(delays)} calls): {ms(delays)} "
          f"· max {max(delays) * 1000:.1f} ms (goal p99 ≤ 500 ms: {goal})")
    on, off = issuing_on_off(args.tickets, args.rounds)
    print(f"issue, texts off ({len(off)} tickets, 8 clients): {ms(off)}")
    print(f"issue, texts on  ({len(on)} tickets, 8 clients): {ms(on)}")
    ratio = statistics.median(on) / statistics.median(off)
    ratio99 = pct(on, 99) / pct(off, 99)
    goal = "met" if ratio <= 1.10 else "MISSED"
    print(f"on / off: median {ratio:.2f} · p99 {ratio99:.2f} (goal: on ≤ 10% slower: {goal})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
