"""`hall demo`: the whole hall on one machine, its own data apart, every URL printed."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.live import free_port


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


def test_the_demo_keeps_its_data_apart_and_removes_it_on_exit(tmp_path: Path) -> None:
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
