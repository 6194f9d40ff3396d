"""Hardening benchmark: ticket issuing alone, and under a flood of wrong logins from 4 threads.

Run: .venv/bin/python benchmarks/bench_hardening.py  (prints the figures; not a test)
The server runs in its own process (`hall serve`, SQLite, one worker), as in a hall. Two floods:
- from one address with a new random username on every try (the attack of issue 16): the per-address
  limit answers most of them 429 before any password is checked;
- "distributed": the login limits raised out of reach, so every try reaches argon2. That shows
  the bounded password pool alone keeps issuing fast (the worst case, many addresses).
Target: issuing p50 under the flood at most 1.5x the p50 without it.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_server import (  # noqa: E402
    admin_headers,
    kiosk_headers,
    pct,
    start_server,
)

SERVICES = ["forestry-permit", "invoice", "pension-insurance", "rural-housing"]
ISSUES = 150


def issue_latencies(base: str, kiosk: dict[str, str], n: int) -> list[float]:
    """Issue n tickets one after another; return each latency in ms."""
    out = []
    with httpx.Client(base_url=base, timeout=30) as http:
        for i in range(n):
            t0 = time.perf_counter()
            r = http.post("/api/tickets", headers=kiosk,
                          json={"service": SERVICES[i % len(SERVICES)], "channel": "kiosk"})
            out.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 201, r.text
            http.post(f"/api/tickets/{r.json()['id']}/cancel", params={"token": r.json()["token"]})
    return out


def flood(base: str, stop: threading.Event, counts: dict[int, int]) -> None:
    """Send wrong logins with random usernames until told to stop."""
    with httpx.Client(base_url=base, timeout=30) as http:
        while not stop.is_set():
            r = http.post("/api/auth/login", json={"username": secrets.token_hex(6),
                                                   "password": "wrong-password"})
            counts[r.status_code] = counts.get(r.status_code, 0) + 1


def run(label: str, extra_env: dict[str, str]) -> None:
    """Measure issuing alone and under the flood on a fresh server."""
    old = dict(os.environ)
    os.environ.update(extra_env)
    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp) / "var")
        try:
            base = server.url
            kiosk = kiosk_headers(base, admin_headers(base))
            issue_latencies(base, kiosk, 20)  # warm up
            alone = issue_latencies(base, kiosk, ISSUES)
            stop, counts = threading.Event(), {}  # type: ignore[var-annotated]
            threads = [threading.Thread(target=flood, args=(base, stop, counts)) for _ in range(4)]
            for t in threads:
                t.start()
            time.sleep(1.0)
            t0 = time.perf_counter()
            flooded = issue_latencies(base, kiosk, ISSUES)
            seconds = time.perf_counter() - t0
            stop.set()
            for t in threads:
                t.join()
        finally:
            server.stop()
            os.environ.clear()
            os.environ.update(old)
    p50a, p50f = statistics.median(alone), statistics.median(flooded)
    logins = sum(counts.values())
    print(f"{label}:")
    print(f"  issuing alone        p50 {p50a:6.1f} ms  p90 {pct(alone, 90):6.1f} ms")
    print(f"  under login flood    p50 {p50f:6.1f} ms  p90 {pct(flooded, 90):6.1f} ms  "
          f"(ratio p50 {p50f / p50a:.2f}; target <= 1.50)")
    print(f"  flood: {logins} wrong logins in {seconds:.1f} s ({logins / seconds:.0f}/s), "
          f"answers {dict(sorted(counts.items()))}")


def main() -> None:
    """Print the figures."""
    run("flood from one address, random usernames", {})
    run("distributed flood (login limits out of reach: every try checks a password)",
        {"HALL_LOGIN_IP_ATTEMPTS_PER_MINUTE": "100000000",
         "HALL_LOGIN_ATTEMPTS_PER_MINUTE": "100000000"})


if __name__ == "__main__":
    main()
