"""Faults beyond kill -9: PostgreSQL restarted under load, a full disk, a backup taken under load."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from websockets.sync.client import connect

from queue_server.jobs.backup import backup, restore
from tests.support.http import bearer, kiosk, staff
from tests.support.live import Api, LiveServer, pg_create_database, pg_drop_database

SERVICES = ["invoice", "pension-insurance", "rural-housing", "forestry-permit"]


class Load:
    """Issue (and optionally call) tickets from several threads; record every answer."""

    def __init__(self, base: str, kiosk_headers: dict[str, str], threads: int,
                 clerk: dict[str, str] | None = None) -> None:
        self.base, self.kiosk, self.clerk = base, kiosk_headers, clerk
        self.issued: list[tuple[float, dict[str, Any]]] = []  # (when the 201 arrived, ticket)
        self.statuses: list[int] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._issue, args=(i,), daemon=True)
                         for i in range(threads)]
        if clerk is not None:
            self._threads.append(threading.Thread(target=self._call, daemon=True))

    def _record(self, r: httpx.Response | None, error: str | None = None) -> None:
        with self._lock:
            if error is not None:
                self.errors.append(error)
            elif r is not None:
                self.statuses.append(r.status_code)
                if r.status_code >= 500 and r.status_code != 503:
                    self.errors.append(f"{r.request.url.path}: {r.status_code} {r.text[:200]}")
                if r.status_code == 503:
                    body = r.json()["error"]
                    if body["code"] not in ("unavailable", "storage_full"):
                        self.errors.append(f"unexpected 503: {body}")

    def _issue(self, i: int) -> None:
        with httpx.Client(base_url=self.base, timeout=20) as http:
            n = 0
            while not self._stop.is_set():
                n += 1
                try:
                    r = http.post("/api/tickets", headers=self.kiosk,
                                  json={"service": SERVICES[(i + n) % len(SERVICES)],
                                        "channel": "kiosk"})
                except httpx.TimeoutException as exc:  # a hang is a failure
                    self._record(None, f"issue timed out: {exc!r}")
                    continue
                except httpx.TransportError:
                    time.sleep(0.05)
                    continue
                self._record(r)
                if r.status_code == 201:
                    with self._lock:
                        self.issued.append((time.monotonic(), r.json()))
                elif r.status_code == 503:
                    time.sleep(0.1)

    def _call(self) -> None:
        assert self.clerk is not None
        with httpx.Client(base_url=self.base, timeout=20) as http:
            while not self._stop.is_set():
                try:
                    for action in ("call-next", "finish"):
                        self._record(http.post(f"/api/windows/1/{action}", headers=self.clerk))
                except httpx.TimeoutException as exc:
                    self._record(None, f"call timed out: {exc!r}")
                except httpx.TransportError:
                    time.sleep(0.05)
                time.sleep(0.02)

    def __enter__(self) -> Load:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=60)


def wait_until(check: Any, timeout: float, what: str) -> None:
    """Poll check() until it is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def assert_kept(base: str, issued: list[tuple[float, dict[str, Any]]]) -> None:
    """Every ticket whose 201 arrived is there, with the same number; no number was given twice."""
    numbers = [t["number"] for _, t in issued]
    assert len(numbers) == len(set(numbers)), "a number was issued twice"
    with httpx.Client(base_url=base, timeout=20) as http:
        for _, t in issued:
            got = http.get(f"/api/tickets/{t['id']}", params={"token": t["token"]})
            assert got.status_code == 200, got.text
            assert got.json()["number"] == t["number"]


def pg_is_up(url: str) -> bool:
    """Tell whether PostgreSQL accepts connections."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT 1")).scalar() == 1
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def test_postgresql_restarted_under_load(pg_url: str, tmp_path: Path) -> None:
    first = LiveServer(tmp_path / "a", pg_url).start()
    second = LiveServer(tmp_path / "b", pg_url).start()
    try:
        api = Api(first.url)
        admin = api.admin()
        k = kiosk(api, admin)
        li = staff(first, api, admin, "li")
        assert api.http.post("/api/windows/1/open", headers=li).status_code == 200
        with connect(second.ws_url + "/ws/hall") as board, \
                Load(first.url, k, threads=3, clerk=li) as load:
            assert json.loads(board.recv(timeout=10))["type"] == "snapshot"
            time.sleep(1.0)
            restart = subprocess.run(["pg_ctlcluster", "15", "main", "restart"],
                                     capture_output=True, text=True, timeout=120)
            assert restart.returncode == 0, restart.stderr
            wait_until(lambda: pg_is_up(pg_url), 60, "PostgreSQL to come back")
            count = len(load.issued)
            wait_until(lambda: len(load.issued) > count + 5, 30, "issuing to recover by itself")
            time.sleep(0.5)
        assert not load.errors, load.errors[:10]
        assert 201 in load.statuses
        assert_kept(first.url, load.issued)
        # The other server's board hears of new events again: its listener reconnected.
        t = api.http.post("/api/tickets", headers=k, json={"service": "invoice", "channel": "kiosk"})
        assert t.status_code == 201
        with connect(second.ws_url + "/ws/hall") as board:
            seq = json.loads(board.recv(timeout=10))["seq"]
            again = api.http.post("/api/tickets", headers=k,
                                  json={"service": "invoice", "channel": "kiosk"}).json()
            deadline = time.monotonic() + 10
            while True:
                message = json.loads(board.recv(timeout=max(0.1, deadline - time.monotonic())))
                if message["type"] == "ticket.issued" and message["ticket"]["id"] == again["id"]:
                    assert message["seq"] > seq
                    break
        api.close()
    finally:
        wait_until(lambda: pg_is_up(pg_url), 60, "PostgreSQL to be back for the other tests")
        second.stop()
        first.stop()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """Mount a 3 MiB tmpfs for the data directory (the tests run as root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_gives_a_clear_error_and_the_hall_works_again(small_disk: Path) -> None:
    live = LiveServer(small_disk / "var").start()
    try:
        api = Api(live.url)
        k = kiosk(api, api.admin())
        kept = [(0.0, api.issue(k, s)) for s in SERVICES]
        filler = small_disk / "filler"
        with open(filler, "wb") as f, contextlib.suppress(OSError):
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        answers = []
        for _ in range(200):
            r = api.http.post("/api/tickets", headers=k,
                              json={"service": "invoice", "channel": "kiosk"})
            answers.append(r)
            if r.status_code != 201:
                break
            kept.append((0.0, r.json()))
        refused = answers[-1]
        assert refused.status_code == 503, refused.text
        assert refused.json()["error"]["code"] in ("storage_full", "unavailable")
        assert "存储空间已满" in refused.json()["error"]["message"] or \
            refused.json()["error"]["code"] == "unavailable"
        assert_kept(live.url, kept)  # nothing committed is damaged
        filler.unlink()
        wait_until(lambda: api.http.post("/api/tickets", headers=k, json={
            "service": "invoice", "channel": "kiosk"}).status_code == 201, 20, "issuing again")
        after = api.issue(k, "invoice")
        assert after["number"] not in {t["number"] for _, t in kept}
        api.close()
    finally:
        live.stop()
    with sqlite3.connect(small_disk / "var" / "hall.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_backup_taken_while_8_clients_issue_restores_every_ticket_answered_before_it(
        kind: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live' / 'hall.db'}" if kind == "sqlite" else pg_create_database()
    fresh = (f"sqlite:///{tmp_path / 'fresh' / 'hall.db'}" if kind == "sqlite"
             else pg_create_database())
    live = LiveServer(tmp_path / "live", url).start()
    try:
        api = Api(live.url)
        k = kiosk(api, api.admin())
        with Load(live.url, k, threads=8) as load:
            wait_until(lambda: len(load.issued) >= 40, 60, "some tickets")
            began = time.monotonic()
            backup(url, tmp_path / f"hall-{uuid.uuid4().hex[:6]}.backup")
            time.sleep(0.5)
        before = [(at, t) for at, t in load.issued if at < began]
        assert not load.errors, load.errors[:10]
        assert len(load.issued) > len(before) >= 40  # issuing went on during the backup
        api.close()
    finally:
        live.stop()
    copy = next(tmp_path.glob("hall-*.backup"))
    restore(fresh, copy)
    again = LiveServer(tmp_path / "fresh", fresh).start()
    try:
        assert_kept(again.url, before)
        api = Api(again.url)
        k = bearer(api.http.post("/api/admin/devices", headers=api.admin(),
                                 json={"name": "k2", "kind": "kiosk"}).json()["token"])
        backed_up = {t["number"] for _, t in before}
        for service in SERVICES:
            new = api.issue(k, service)
            assert new["number"] not in backed_up
            same_letter = [int(n[1:]) for n in backed_up if n[0] == new["number"][0]]
            assert int(new["number"][1:]) > max(same_letter, default=0)
        api.close()
    finally:
        again.stop()
        if kind == "postgres":
            pg_drop_database(url)
            pg_drop_database(fresh)
