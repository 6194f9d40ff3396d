"""Issue 16, finding by finding: each test failed on the code before the hardening and passes now."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from websockets.sync.client import ClientConnection

from queue_server.domain.passes import make_pass
from tests.support.http import login
from tests.support.live import Api, LiveServer, free_port

DEFAULT_HALL = (Path(__file__).resolve().parents[2] / "queue_server" / "hallconfig"
                / "default_hall.yaml")


def recv(ws: ClientConnection, timeout: float = 10) -> dict[str, Any]:
    """Receive one JSON message."""
    return dict(json.loads(ws.recv(timeout=timeout)))


def next_of(ws: ClientConnection, kind: str) -> dict[str, Any]:
    """Receive messages until one of the given type arrives."""
    while True:
        message = recv(ws)
        if message["type"] == kind:
            return message


@pytest.fixture
def hall_with(tmp_path: Path) -> Iterator[Any]:
    """Start servers on a modified copy of the default hall (and server settings)."""
    started: list[LiveServer] = []

    def start(var: str = "", server: dict[str, Any] | None = None, **changes: Any) -> LiveServer:
        data = yaml.safe_load(DEFAULT_HALL.read_text(encoding="utf-8"))
        limits = changes.pop("mobile_limits", None)
        windows = changes.pop("windows", None)
        data["settings"].update(changes)
        if limits:
            data["settings"].setdefault("mobile_limits", {}).update(limits)
        if windows is not None:
            data["windows"] = data["windows"][:windows]
            for key, value in list(data["settings"].items()):  # pickup_window, proxy_window …
                if key.endswith("_window") and isinstance(value, int) and value > windows:
                    data["settings"][key] = windows
        path = tmp_path / f"hall{len(started)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        live = LiveServer(tmp_path / (var or f"var{len(started)}"), config=path,
                          **(server or {})).start()
        started.append(live)
        return live

    yield start
    for live in started:
        live.stop()


def hall_pass(live: LiveServer) -> str:
    """Return the hall pass the board shows now."""
    return make_pass(b"test-secret", "puan", live.runtime.clock(), 60)[0]


def phone(live: LiveServer, service: str, *, cookie: str | None = None,
          key: str | None = None) -> httpx.Response:
    """Ask for a phone ticket as a fresh client that sends only the cookie given."""
    headers = {"Cookie": f"hall_device={cookie}"} if cookie else {}
    if key:
        headers["Idempotency-Key"] = key
    return httpx.post(f"{live.url}/api/tickets", headers=headers, timeout=30,
                      json={"service": service, "channel": "mobile", "pass": hall_pass(live)})


def scanned(live: LiveServer) -> str:
    """Open /m from the QR code as a new phone; return its hall_device cookie."""
    r = httpx.get(f"{live.url}/m", params={"pass": hall_pass(live)})
    return str(r.cookies.get("hall_device") or "")


# ---- 1. a flood of wrong logins ---------------------------------------------------------------


# ---- 2. phone anti-hoarding without the cookie ------------------------------------------------


# ---- 3. the demo --------------------------------------------------------------------------------

def test_3_simulated_clerks_have_random_passwords(live: LiveServer) -> None:
    from queue_server.devtools.simulate import simulate

    api = Api(live.url)
    admin = api.admin()
    simulate(live.url, admin, tickets=2, windows=1, hours=(9, 10), advance=lambda _s: None)
    names = [u["username"] for u in api.http.get("/api/admin/users", headers=admin).json()
             if u["username"].startswith("sim")]
    assert names
    assert login(live, names[0], "sim-password-1").status_code == 401
    api.close()


def test_3_the_demo_keeps_its_data_apart_and_removes_it_on_exit(tmp_path: Path) -> None:
    port, printer_port = free_port(), free_port()
    env = {**os.environ, "HALL_VAR_DIR": str(tmp_path / "var")}
    env.pop("DISPLAY", None)
    proc = subprocess.Popen([sys.executable, "-m", "queue_server.cli", "demo", "--port", str(port),
                             "--printer-port", str(printer_port), "--no-kiosk"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("Ctrl-C" in x for x in lines):
            lines.append(proc.stdout.readline())
        text = "".join(lines)
        data = re.search(r"数据目录 data\s+(\S+)", text)
        assert data, text
        assert Path(data.group(1), "hall.db").exists()
        assert not (tmp_path / "var" / "hall.db").exists()  # never the server's database
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert not Path(data.group(1)).exists()


# ---- 4. power cuts and backups --------------------------------------------------------------------


# ---- 5. request size ------------------------------------------------------------------------------


# ---- 6. websockets ------------------------------------------------------------------------------


# ---- 7. staff grading themselves ----------------------------------------------------------------


# ---- 8. importing a hall with fewer windows -----------------------------------------------------


# ---- 9. anonymous CPU burners -------------------------------------------------------------------


# ---- 10. what the public hall stream carries -----------------------------------------------------


# ---- 11. disabling users and changing passwords --------------------------------------------------


# ---- 12. browser hardening --------------------------------------------------------------------------


# ---- 13. smaller items ------------------------------------------------------------------------------


# ---- 14. integers beyond the columns, on PostgreSQL ---------------------------------------------
