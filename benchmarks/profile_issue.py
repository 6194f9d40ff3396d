"""Profile the server while it issues tickets: where a request's CPU goes, from py-spy samples.

Run: .venv/bin/python benchmarks/profile_issue.py [clients] [tickets] [backlog]   (bench extra: py-spy)
Starts `hall serve` (SQLite, one worker) on a backlog (300 tickets unless given), samples it with py-spy while
`clients` concurrent clients issue `tickets` tickets, and prints the share of busy samples spent
in each part of a request, then the busiest functions. Idle threads waiting for work are left out.
"""

from __future__ import annotations

import asyncio
import collections
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_server as bench

IDLE = re.compile(r"^(get|wait|select|_worker|_wait_for_tstate_lock|run_forever|_run_once|poll)\b|^Runner.run \(asyncio"
                  r"|\(selectors\.py|\(threading\.py:\d+\)$|\(queue\.py")
# Parts of a request, matched against the frames of a sample (first match wins).
PARTS = [
    ("commit (fsync)", r"do_commit|sqlite3.Connection' objects}|\.commit \(sqlite"),
    ("event log append", r"append \(queue_server/events/service"),
    ("issue use case (rest)", r"issue \(queue_server/tickets/service/issuing"),
    ("estimate (resume/simulate)", r"queue_server/(tickets/(estimator|live|estimates)|domain/(resume|estimate))"),
    ("authentication", r"get_principal|auth/cache"),
    ("publish to subscribers", r"queue_server/events/(hub|sockets|ticket_feed)"),
    ("response (model + JSON)", r"ticket_public|model_dump_json|serialize_response"),
    ("group-commit plumbing", r"GroupCommit|write_session"),
    ("FastAPI / Starlette / uvicorn", r"fastapi/|starlette/|uvicorn/|httptools|h11"),
    ("access log", r"logging/"),
]


def sample(clients: int, tickets: int, out: Path, backlog: int = 300) -> str:
    """Serve, issue under py-spy, and return the printable rate and latencies."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    with bench.served(backlog=backlog, env=bench.AFTER) as (base, _):
        kiosk = bench.kiosk_headers(base, bench.admin_headers(base))
        asyncio.run(bench.issue_load(base, kiosk, clients, 32))  # warm-up
        rec = subprocess.Popen([spy, "record", "--nonblocking", "--gil", "-r", "250", "-f", "raw", "-t",
                                "-o", str(out), "-p", str(bench.PIDS[base])],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            rate, lat = asyncio.run(bench.issue_load(base, kiosk, clients, tickets))
        finally:
            rec.send_signal(2)
            rec.wait(timeout=60)
    return f"{rate:.0f}/s · {bench.ms(lat)}"


def summarise(raw: Path) -> None:
    """Print busy samples by part of the request, then the busiest functions."""
    parts: collections.Counter[str] = collections.Counter()
    funcs: collections.Counter[str] = collections.Counter()
    busy = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not frames or IDLE.search(frames[-1]):
            continue
        n = int(count)
        busy += n
        text = ";".join(frames)
        part = next((name for name, pattern in PARTS if re.search(pattern, text)), "other")
        parts[part] += n
        for f in {re.sub(r":\d+\)$", ")", f) for f in frames if "queue_server/" in f}:
            funcs[f] += n
    print(f"busy samples: {busy}")
    for name, n in parts.most_common():
        print(f"  {100 * n / busy:5.1f}%  {name}")
    print("busiest queue_server functions (inclusive):")
    for f, n in funcs.most_common(15):
        print(f"  {100 * n / busy:5.1f}%  {f}")


def main() -> None:
    """Profile at one client and at 16."""
    clients = [int(sys.argv[1])] if len(sys.argv) > 1 else [1, 16]
    tickets = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    backlog = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    with tempfile.TemporaryDirectory() as tmp:
        for n in clients:
            raw = Path(tmp) / f"issue-{n}.txt"
            print(f"--- issue, {n} client(s), backlog {backlog}: {sample(n, tickets, raw, backlog)}")
            summarise(raw)


if __name__ == "__main__":
    main()
