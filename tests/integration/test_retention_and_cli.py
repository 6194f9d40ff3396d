"""Phone retention, the `hall` commands, the self-hosted API docs and the demo."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from queue_server.db.engine import write_session
from queue_server.jobs.rollover import forget_phones
from queue_server.tickets.models import Ticket
from tests.support.live import LiveServer, free_port


def hall_cmd(args: list[str], var: Path, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HALL_VAR_DIR": str(var)}
    return subprocess.run([sys.executable, "-m", "queue_server.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout, env=env)


def test_phone_numbers_are_erased_after_the_retention_period(live: LiveServer) -> None:
    rt = live.runtime
    today = rt.hall.day(rt.clock())
    keep = rt.hall.config.settings.phone_retention_days
    now = datetime.now(UTC)
    with write_session(rt.engine) as session:
        for i, age in enumerate([keep + 1, keep, 0]):
            session.add(Ticket(hall=rt.hall.code, day=today - timedelta(days=age), number=f"A9{i:02d}",
                               number_category="A", category="A", service="pension-insurance",
                               channel="mobile", status="done", token=f"t{i}", phone=f"1380000000{i}",
                               issued_at=now, rank_at=now))
    with write_session(rt.engine) as session:
        assert forget_phones(session, rt.hall, today) == 1
    with write_session(rt.engine) as session:
        phones = {t.number: t.phone for t in session.query(Ticket).all()}
    assert phones == {"A900": None, "A901": "13800000001", "A902": "13800000002"}


class _served:
    """Serve a var directory for the duration of a with-block."""

    def __init__(self, var: Path) -> None:
        self.server = LiveServer(var)

    def __enter__(self) -> str:
        return self.server.start().url

    def __exit__(self, *exc: object) -> None:
        self.server.stop()


def test_demo_starts_the_hall_and_prints_every_url(tmp_path: Path) -> None:
    port, printer_port = free_port(), free_port()
    env = {**os.environ, "HALL_VAR_DIR": str(tmp_path)}
    env.pop("DISPLAY", None)
    proc = subprocess.Popen([sys.executable, "-m", "queue_server.cli", "demo", "--port", str(port),
                             "--printer-port", str(printer_port), "--no-kiosk"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 90
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "Ctrl-C" in line:
                break
        text = "".join(lines)
        for path in ("/display#token=", "/clerk", "/manage", "/m/guide", "/pad/1#token=", "/docs"):
            assert path in text, text
        password = re.search(r"password (\S+)", text)
        assert password, text
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(base + "/healthz").json() == {"status": "ok"}
        login = httpx.post(base + "/api/auth/login", json={"username": "admin", "password": password.group(1)})
        assert login.status_code == 200
        with httpx.Client() as http:
            assert http.get(base + "/display").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_demo_says_so_when_its_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "HALL_VAR_DIR": str(tmp_path)}
        env.pop("DISPLAY", None)
        done = subprocess.run([sys.executable, "-m", "queue_server.cli", "demo", "--port", str(port),
                               "--printer-port", str(free_port()), "--no-kiosk"],
                              capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2, done.stderr
    assert f"端口 {port} 已被占用" in done.stderr and "Traceback" not in done.stderr
