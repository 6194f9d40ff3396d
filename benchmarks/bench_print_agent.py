"""Time a case receipt printed through a print agent: request → server → agent → virtual printer → 202.

For comparison first the window printing directly (tcp://), then three set-ups, each with the
real agent (in a thread) and a virtual printer:
- SQLite, one process (the relay hands each step to itself);
- PostgreSQL, the agent and the request on the same server process;
- PostgreSQL, the agent on one server process and the request on another (relayed through
  print_job rows and pg_notify).
Usage: python benchmarks/bench_print_agent.py [--runs 20]  (PostgreSQL from HALL_TEST_PG_URL)
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from printer.virtual import VirtualPrinter
from tests.support.cases import hall_yaml_with_printers, hold_clock, new_case
from tests.support.live import Api, LiveServer, pg_create_database, pg_drop_database
from tests.support.printagent import AgentThread


def measure(request_at: LiveServer, agent_at: LiveServer | None, printer: VirtualPrinter, runs: int) -> list[float]:
    """Return the milliseconds of each print request (agent_at None: the window prints directly)."""
    api = Api(request_at.url)
    hold_clock(request_at, "2026-12-01 10:00")
    clerk = api.user(f"clerk{time.monotonic_ns()}")
    case = new_case(api, clerk, "M002")
    times = []
    with contextlib.ExitStack() as stack:
        if agent_at is not None:
            _, token = Api(agent_at.url).device("print_agent")
            stack.enter_context(AgentThread(agent_at.url, token, {"win1": printer.url})).wait_connected()
        for n in range(runs + 1):
            started = time.perf_counter()
            r = api.http.post(f"/api/cases/{case['id']}/print", headers=clerk,
                              json={"window": 1, "kind": "acceptance"})
            elapsed = (time.perf_counter() - started) * 1000
            assert r.status_code == 202, r.text  # answered once the printer took the slip
            if n:  # the first warms connections and caches up
                times.append(elapsed)
    api.close()
    return times


def report(name: str, times: list[float]) -> None:
    """Print the median and the worst."""
    print(f"{name:<44} median {statistics.median(times):6.1f} ms   max {max(times):6.1f} ms   (n={len(times)})")


def main() -> int:
    """Run the three set-ups."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp, VirtualPrinter(port=0) as printer:
        base = Path(tmp)
        (base / "direct").mkdir()
        direct = LiveServer(base / "direct", config=hall_yaml_with_printers(base / "direct", {1: printer.url}))
        try:
            report("SQLite, window printer tcp:// (no agent)", measure(direct.start(), None, printer, runs))
        finally:
            direct.stop()
        config = hall_yaml_with_printers(base, {1: "agent://win1"})
        live = LiveServer(base / "sqlite", config=config).start()
        try:
            report("SQLite, one process", measure(live, live, printer, runs))
        finally:
            live.stop()
        url = pg_create_database()
        first = LiveServer(base / "a", url, config=config).start()
        second = LiveServer(base / "b", url, config=config).start()
        try:
            report("PostgreSQL, agent on the requesting process", measure(first, first, printer, runs))
            report("PostgreSQL, agent on another process", measure(first, second, printer, runs))
        finally:
            second.stop()
            first.stop()
            pg_drop_database(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
