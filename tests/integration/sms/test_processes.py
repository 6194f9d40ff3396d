"""Texts across process deaths and between two server processes: each message goes out once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from tests.integration.sms.conftest import sms_settings
from tests.support.halls import hall_yaml
from tests.support.http import kiosk
from tests.support.live import Api, ServedProcess
from tests.support.sms_gateway import SmsGateway
from tests.support.wait import eventually

PHONE = "13812341234"


def served(tmp_path: Path, url: str, gateway: SmsGateway, name: str, workers: int = 1,
           **env: str) -> ServedProcess:
    """Start `hall serve` on a database, texting through the gateway."""
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    config = hall_yaml(tmp_path / f"{name}.yaml", settings=sms_settings(gateway))
    return ServedProcess(var, url, workers=workers, env={"HALL_CONFIG": str(config), **env}).start()


class Desk:
    """An admin, clerks at windows and a kiosk on a served process (any of its workers)."""

    def __init__(self, base: str, windows: tuple[int, ...] = (3,), first: bool = True) -> None:
        self.api = Api(base)
        admin = self.api.admin()
        self.clerks: dict[int, dict[str, str]] = {}
        for n in windows:
            name = f"clerk{n}"
            if first:
                assert self.api.http.post("/api/admin/users", headers=admin, json={
                    "username": name, "password": "password-123", "role": "clerk",
                    "display_name": name}).status_code == 201
            self.clerks[n] = {"Authorization": "Bearer " + self.api.login(name, "password-123")}
            r = self.api.http.post(f"/api/windows/{n}/open", headers=self.clerks[n])
            assert r.status_code == 200, r.text
        self.kiosk = kiosk(self.api, admin)

    def issue(self, phone: str) -> dict[str, Any]:
        r = self.api.http.post("/api/tickets", headers=self.kiosk,
                               json={"service": "invoice", "channel": "kiosk", "phone": phone})
        assert r.status_code == 201, r.text
        return dict(r.json())

    def call(self, window: int = 3) -> dict[str, Any]:
        r = self.api.http.post(f"/api/windows/{window}/call-next", headers=self.clerks[window])
        assert r.status_code == 200, r.text
        return dict(r.json()["ticket"])

    def finish(self, window: int = 3) -> None:
        r = self.api.http.post(f"/api/windows/{window}/finish", headers=self.clerks[window],
                               json={"outcome": "done"})
        assert r.status_code == 200, r.text


def outbox_rows(url: str) -> list[tuple[str, str, int]]:
    """Return (id, status, attempts) of every outbox row, read from the database itself."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [(r[0], r[1], int(r[2])) for r in conn.execute(text(
                "SELECT id, status, attempts FROM sms_message ORDER BY created_at"))]
    finally:
        engine.dispose()


def test_a_process_killed_while_sending_sends_the_message_after_the_restart_once(
        tmp_path: Path, any_db: str) -> None:
    db_url = any_db
    env = {"HALL_SMS_TIMEOUT_SECONDS": "2", "HALL_SMS_CLAIM_SECONDS": "3"}
    with SmsGateway() as gateway:
        first = served(tmp_path, db_url, gateway, "first", **env)
        try:
            desk = Desk(first.url)
            gateway.hang(1)  # the first try reaches the gateway and gets no answer: the process is mid-send
            t = desk.issue(PHONE)
            desk.call()
            hung, = gateway.wait_for(1)
            first._proc.kill()  # kill -9
            first._proc.wait()
        finally:
            first.stop()
        gateway.release()
        assert outbox_rows(db_url)[0][1] == "queued"  # nothing recorded: the row waits for its claim to run out
        second = served(tmp_path, db_url, gateway, "second", **env)
        try:
            posts = gateway.wait_for(2, timeout=30)
            assert posts[1].json["id"] == hung.json["id"] and posts[1].status == 200
            assert posts[1].json["params"]["number"] == t["number"]
            eventually(lambda: outbox_rows(db_url)[0][1:] == ("sent", 2), timeout=10, what="recorded as sent")
            # Once: a later message goes out, and the first one was not sent again meanwhile.
            desk2 = Desk(second.url, first=False)
            desk2.finish()
            desk2.issue("13912345678")
            desk2.call()
            gateway.wait_for(3)
            assert [p.json["id"] for p in gateway.posts].count(hung.json["id"]) == 2
            assert [p.status for p in gateway.posts if p.json["id"] == hung.json["id"]] == [None, 200]
            desk2.api.close()
        finally:
            second.stop()
        desk.api.close()


def test_two_workers_on_postgresql_never_send_one_message_twice(tmp_path: Path, pg_url: str) -> None:
    windows = (1, 2, 3, 4)
    with SmsGateway() as gateway:
        server = served(tmp_path, pg_url, gateway, "two", workers=2)
        try:
            desk = Desk(server.url, windows)
            tickets = [desk.issue(f"1380000{n:04d}") for n in range(40)]

            def work(window: int) -> None:
                for _ in range(10):  # requests land on either worker
                    desk.call(window)
                    desk.finish(window)

            threads = [threading.Thread(target=work, args=(n,)) for n in windows]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            # Every ticket was called (40 `called`) and those issued further back than ahead_at got
            # `ahead` as well: every row is sent after exactly one try, and the gateway saw each id once.
            eventually(lambda: (rows := outbox_rows(pg_url)) and all(r[1:] == ("sent", 1) for r in rows)
                       and len(rows) >= 40, timeout=30, what="every message recorded sent after one try")
            rows = outbox_rows(pg_url)
            posts = gateway.wait_for(len(rows), timeout=10)
            ids = [p.json["id"] for p in posts]
            assert len(ids) == len(set(ids)) == len(rows)
            assert sorted(ids) == sorted(r[0] for r in rows)
            called = [p.json["phone"] for p in posts if p.json["kind"] == "called"]
            assert sorted(called) == sorted(f"1380000{n:04d}" for n in range(len(tickets)))
            desk.api.close()
        finally:
            server.stop()
