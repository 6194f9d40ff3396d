"""Several server processes on one PostgreSQL database hear each other's events."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from websockets.sync.client import connect

from tests.support.live import Api, LiveServer


def _next_of_type(ws, wanted: str, timeout: float) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(ws.recv(timeout=max(0.01, deadline - time.monotonic())))
        if message["type"] == wanted:
            return dict(message)


def test_an_event_committed_by_one_server_reaches_websockets_of_another(
        pg_url: str, serve: Callable[..., LiveServer]) -> None:
    first = serve(var="a", database_url=pg_url)
    second = serve(var="b", database_url=pg_url)
    api_b = Api(second.url)
    kiosk, _ = api_b.device("kiosk")
    admin = api_b.admin()
    with connect(first.ws_url + "/ws/hall") as ws:
        snapshot = json.loads(ws.recv(timeout=10))
        assert snapshot["type"] == "snapshot"
        ticket = api_b.issue(kiosk, "invoice")
        issued = _next_of_type(ws, "ticket.issued", 5)
        assert issued["ticket"]["number"] == ticket["number"]
        assert issued["seq"] > snapshot["seq"]
        assert api_b.http.post("/api/windows/14/open", headers=admin).status_code == 200
        called = api_b.http.post("/api/windows/14/call-next", headers=admin).json()["ticket"]
        event = _next_of_type(ws, "ticket.called", 10)
        assert event["ticket"]["id"] == called["id"] and event["window"] == 14
    first_queue = Api(first.url).http.get("/api/queue").json()
    assert first_queue["recent_calls"][0]["number"] == ticket["number"]


def test_hall_serve_refuses_several_workers_on_sqlite(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "queue_server.cli", "serve", "--workers", "2"],
        capture_output=True, text=True, timeout=60,
        env={"HALL_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
