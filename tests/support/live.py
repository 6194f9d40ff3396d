"""A real queue server on a real socket, for integration and UI tests."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from queue_server.app.factory import create_app
from queue_server.core.settings import ServerSettings

ADMIN_PASSWORD = "admin-pass-123"
PG_ADMIN_URL = os.environ.get(
    "HALL_TEST_PG_URL", "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres"
)


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """Run the app under uvicorn in a thread; stop and start it again on the same port."""

    def __init__(self, var_dir: Path, database_url: str = "", port: int | None = None,
                 **settings: Any) -> None:
        self.var_dir = var_dir
        self.port = port or free_port()
        self.settings = ServerSettings(
            var_dir=var_dir, database_url=database_url, admin_password=ADMIN_PASSWORD,
            secret_key="test-secret", **settings,
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app: Any = None

    @property
    def url(self) -> str:
        """Return the base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        """Return the websocket base URL."""
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        """Start serving and wait until /healthz answers."""
        self.app = create_app(self.settings, rollover_interval=3600)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                ws_ping_interval=None, lifespan="on",
                                ws_max_size=self.settings.ws_max_size)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("queue server did not start")

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.should_exit = True
            self._server.force_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        self._server = self._thread = None

    @property
    def runtime(self) -> Any:
        """Return the running default hall's runtime (its clock moves every hall's)."""
        return self.app.state.runtime.default

    @property
    def county(self) -> Any:
        """Return the running app's county runtime (every hall)."""
        return self.app.state.runtime


class Api:
    """A thin HTTP client with helpers for the usual set-up steps."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=30)

    def login(self, username: str, password: str) -> str:
        """Log in and return the bearer token."""
        r = self.http.post("/api/auth/login", json={"username": username, "password": password})
        r.raise_for_status()
        return str(r.json()["token"])

    def admin(self) -> dict[str, str]:
        """Return headers for the admin."""
        return {"Authorization": "Bearer " + self.login("admin", ADMIN_PASSWORD)}

    def user(self, username: str, role: str = "clerk", display_name: str = "") -> dict[str, str]:
        """Create a staff user and return their headers."""
        r = self.http.post("/api/admin/users", headers=self.admin(), json={
            "username": username, "password": "password-123", "role": role,
            "display_name": display_name or username})
        assert r.status_code == 201, r.text
        return {"Authorization": "Bearer " + self.login(username, "password-123")}

    def device(self, kind: str, window: int | None = None, name: str = "") -> tuple[dict[str, str], str]:
        """Register a device; return its headers and token."""
        body: dict[str, Any] = {"name": name or f"{kind}-{uuid.uuid4().hex[:6]}", "kind": kind}
        if window is not None:
            body["window"] = window
        r = self.http.post("/api/admin/devices", headers=self.admin(), json=body)
        assert r.status_code == 201, r.text
        token = r.json()["token"]
        return {"Authorization": "Bearer " + token}, token

    def issue(self, headers: dict[str, str], service: str, **extra: Any) -> dict[str, Any]:
        """Issue a kiosk ticket and return it."""
        r = self.http.post("/api/tickets", headers=headers,
                           json={"service": service, "channel": "kiosk", **extra})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def close(self) -> None:
        """Close the client."""
        self.http.close()


def pg_create_database() -> str:
    """Create a fresh PostgreSQL database and return its URL; fail loudly if there is no server."""
    import sqlalchemy as sa

    name = f"hall_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def pg_drop_database(url: str) -> None:
    """Drop a database made by pg_create_database."""
    import sqlalchemy as sa

    name = url.rsplit("/", 1)[1]
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@contextmanager
def running(var_dir: Path, database_url: str = "", **settings: Any) -> Iterator[LiveServer]:
    """Run a live server for the duration of a with-block."""
    server = LiveServer(var_dir, database_url, **settings).start()
    try:
        yield server
    finally:
        server.stop()


class ServedProcess:
    """Run `hall serve` as a subprocess (e.g. `--workers 2` on PostgreSQL), as a hall runs it."""

    def __init__(self, var_dir: Path, database_url: str, workers: int = 2,
                 env: dict[str, str] | None = None) -> None:
        self.var_dir, self.database_url, self.workers = var_dir, database_url, workers
        self.env = env or {}
        self.port = free_port()
        self.log_path = var_dir.parent / f"serve-{self.port}.log"
        self._proc: Any = None

    @property
    def url(self) -> str:
        """Return the base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        """Return the serving process's id (the benchmarks read its CPU time)."""
        return int(self._proc.pid)

    def start(self) -> ServedProcess:
        """Start the server and wait until /healthz answers."""
        import subprocess
        import sys

        env = {**os.environ, "HALL_VAR_DIR": str(self.var_dir),
               "HALL_DATABASE_URL": self.database_url, "HALL_ADMIN_PASSWORD": ADMIN_PASSWORD,
               "HALL_SECRET_KEY": "test-secret", **self.env}
        self._log = open(self.log_path, "w")  # noqa: SIM115
        # `python -m` puts the working directory first on the path: run another checkout's server
        # (PYTHONPATH, as the benchmarks and the upgrade fixtures do) from inside that checkout.
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "queue_server.cli", "serve", "--port", str(self.port),
             "--workers", str(self.workers)], env=env, stdout=self._log, stderr=self._log,
            cwd=self.env.get("PYTHONPATH") or None)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"hall serve exited with {self._proc.returncode}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("hall serve did not start")

    def stop(self) -> None:
        """Stop the server and its workers."""
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=30)
            except Exception:
                self._proc.kill()
            self._log.close()
            self._proc = None
