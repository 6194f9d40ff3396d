"""Rate limits, login limits and socket caps hold across server processes (PostgreSQL, two workers)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from queue_server.hallconfig.loader import bundled_yaml
from tests.support.live import ServedProcess

LIMIT = 6


@pytest.fixture
def two_workers(pg_url: str, tmp_path: Path) -> Iterator[ServedProcess]:
    hall = yaml.safe_load(bundled_yaml())
    hall["settings"]["mobile_entry"] = "open"
    # Only the per-minute allowance of an address is tight: the per-phone and per-day ones are not.
    hall["settings"]["mobile_limits"] = {"ip_requests_per_minute": LIMIT, "waiting_per_service": 100,
                                         "tickets_per_day": 100, "ip_tickets_per_day": 100}
    config = tmp_path / "hall.yaml"
    config.write_text(yaml.safe_dump(hall, allow_unicode=True), encoding="utf-8")
    (tmp_path / "var").mkdir()
    server = ServedProcess(tmp_path / "var", pg_url, workers=2, env={
        "HALL_CONFIG": str(config), "HALL_LOGIN_IP_ATTEMPTS_PER_MINUTE": str(LIMIT),
        "HALL_WS_HALL_PER_IP": "3", "HALL_WS_PER_IP": "50"}).start()
    yield server
    server.stop()


def _workers_seen(url: str, tries: int = 40) -> set[str]:
    return {httpx.get(url + "/healthz", headers={"Connection": "close"}, timeout=30).headers["X-Worker"]
            for _ in range(tries)}


def test_limits_hold_across_both_workers(two_workers: ServedProcess) -> None:
    base = two_workers.url
    assert len(_workers_seen(base)) == 2, "fresh connections reach both workers"
    # Wrong logins from one address: the allowance is the county's, not each process's.
    codes = [httpx.post(base + "/api/auth/login", json={"username": f"nobody{i}", "password": "wrong-pass"},
                        headers={"Connection": "close"}, timeout=30).status_code for i in range(2 * LIMIT + 2)]
    assert codes.count(401) == LIMIT and codes.count(429) == LIMIT + 2, codes
    # Phone requests from one address, counted across both processes.
    answers = [httpx.post(base + "/api/tickets", json={"service": "invoice", "channel": "mobile",
                                                       "phone": f"1381234{i:04d}"},
                          headers={"Connection": "close"}, timeout=30).status_code for i in range(LIMIT + 4)]
    assert answers.count(429) == 4 and 429 not in answers[:LIMIT], answers
    # /ws/hall sockets from one address: three in all, wherever they land.
    sockets = []
    try:
        for _ in range(3):
            ws = connect(base.replace("http://", "ws://") + "/ws/hall")
            sockets.append(ws)
            assert '"snapshot"' in str(ws.recv(timeout=10))
        for _ in range(4):  # whichever worker the next one reaches, it is refused
            with pytest.raises(InvalidStatus):
                connect(base.replace("http://", "ws://") + "/ws/hall").close()
    finally:
        for ws in sockets:
            ws.close()
    # Closed sockets free their places as soon as the server has seen them close.
    deadline = time.monotonic() + 10
    while True:
        try:
            connect(base.replace("http://", "ws://") + "/ws/hall").close()
            break
        except InvalidStatus:
            assert time.monotonic() < deadline, "a closed socket's place was never freed"
            time.sleep(0.05)
