"""Run Xvfb, the server, a printer and the kiosk subprocess; drive it through its control port."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.live import free_port

ROOT = Path(__file__).resolve().parents[2]


class Xvfb:
    """A virtual X display for the kiosk window."""

    def __init__(self, width: int = 1080, height: int = 1920) -> None:
        exe = shutil.which("Xvfb")
        if exe is None:
            raise RuntimeError("Xvfb is not installed: apt-get install xvfb")
        # Xvfb picks a free display itself and writes its number once it accepts clients, so
        # displays started by tests running side by side never collide.
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            [exe, "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
             "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write,))
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number.isdigit():
            raise RuntimeError(f"Xvfb did not start (exit {self.proc.poll()})")
        self.display = f":{number}"

    def stop(self) -> None:
        """Stop the display."""
        self.proc.terminate()
        self.proc.wait(10)


class Kiosk:
    """The kiosk app in a subprocess, with its control port."""

    def __init__(self, display: str, server: str, token: str, printer: str,
                 log_path: Path, **settings: str) -> None:
        self.port = free_port()
        self.home = tempfile.mkdtemp(prefix="kivy-home-")
        env = {
            **os.environ, "DISPLAY": display, "KIVY_HOME": self.home, "KIVY_NO_ARGS": "1",
            "KIVY_NO_CONSOLELOG": "1", "KIOSK_SERVER": server, "KIOSK_DEVICE_TOKEN": token,
            "KIOSK_PRINTER": printer, "KIOSK_CONTROL_PORT": str(self.port),
            "KIOSK_RETRY_INTERVAL": "0.5", "KIOSK_REQUEST_TIMEOUT": "2",
            # Xvfb has no sound card: SDL's dummy driver plays into nothing, so Kivy still loads
            # and times every spoken WAV as it would on the kiosk's speaker.
            "SDL_AUDIODRIVER": "dummy", "KIOSK_SPEECH_CACHE": str(Path(self.home) / "speech"),
            **{f"KIOSK_{k.upper()}": v for k, v in settings.items()},
        }
        self.log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.started = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "-m", "kiosk.cli"], env=env, cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self._sock: socket.socket | None = None
        self._file: Any = None

    def connect(self, timeout: float = 60) -> None:
        """Wait for the control port."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kiosk exited with {self.proc.returncode}")
            try:
                self._sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
                self._file = self._sock.makefile("rwb")
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def call(self, cmd: str, **args: Any) -> dict[str, Any]:
        """Send one command and return its reply."""
        if self._file is None:
            self.connect()
        self._file.write((json.dumps({"cmd": cmd, "args": args}) + "\n").encode())
        self._file.flush()
        reply = json.loads(self._file.readline())
        if "error" in reply:
            raise AssertionError(f"{cmd} {args}: {reply['error']}")
        return dict(reply)

    def state(self) -> dict[str, Any]:
        """Return the app's state."""
        return self.call("state")

    def tap(self, widget_id: str, **kw: Any) -> dict[str, Any]:
        """Tap a widget by id."""
        return self.call("tap", id=widget_id, **kw)

    def wait(self, check: Callable[[dict[str, Any]], bool], timeout: float = 10,
             what: str = "") -> dict[str, Any]:
        """Poll the state until check(state) holds."""
        deadline = time.monotonic() + timeout
        state = self.state()
        while not check(state):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}: {state}")
            time.sleep(0.02)
            state = self.state()
        return state

    def wait_screen(self, name: str, timeout: float = 10, **extra: Any) -> dict[str, Any]:
        """Wait until the given screen shows (and state fields match)."""
        return self.wait(lambda s: s["screen"] == name and all(
            s.get(k) == v for k, v in extra.items()), timeout, f"screen {name} {extra}")

    def wait_ready(self, timeout: float = 60) -> float:
        """Wait until home shows the catalogue; return seconds since the process started."""
        self.connect(timeout)
        self.wait(lambda s: s["ready"] and s["screen"] == "home", timeout, "ready home")
        return time.monotonic() - self.started

    def stop(self) -> None:
        """Stop the kiosk process."""
        if self._file is not None:
            self._file.close()
        if self._sock is not None:
            self._sock.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)
