"""A county on PostgreSQL with two server processes: halls added, the calendar changed, a worker killed."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.live import ADMIN_PASSWORD, ServedProcess

HALLS = ("puan", "xiasi", "baolun")


@pytest.fixture
def served(pg_url: str, tmp_path: Path) -> Iterator[ServedProcess]:
    (tmp_path / "var").mkdir()
    server = ServedProcess(tmp_path / "var", pg_url, workers=2).start()
    yield server
    server.stop()


def admin(base: str) -> dict[str, str]:
    r = httpx.post(base + "/api/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}, timeout=30)
    r.raise_for_status()
    return {"Authorization": "Bearer " + r.json()["token"]}


def each_worker(url: str, check: Any, attempts: int = 200) -> set[str]:
    """Ask on fresh connections until both workers have answered; each answer must pass the check."""
    seen: set[str] = set()
    for _ in range(attempts):
        r = httpx.get(url, headers={"Connection": "close"}, timeout=30)
        check(r)
        worker = httpx.get(url.split("/api/")[0].split("/h/")[0] + "/healthz",
                           headers={"Connection": "close"}, timeout=30).headers["X-Worker"]
        seen.add(worker)
        if len(seen) == 2:
            break
    return seen


def workers_of(server: ServedProcess) -> list[int]:
    """Return the pids of the serving processes under uvicorn's supervisor."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == server.pid:
                out.append(int(entry))
    return out


def test_a_hall_added_while_two_workers_run_is_served_at_once_by_both(served: ServedProcess) -> None:
    base = served.url
    r = httpx.post(base + "/api/county/halls", headers=admin(base), json={"code": "xiasi", "name": "下寺镇"},
                   timeout=30)
    assert r.status_code == 201, r.text

    def served_at_once(answer: httpx.Response) -> None:
        assert answer.status_code == 200, answer.text
        assert answer.json()["hall"]["code"] == "xiasi"

    # Straight after the 201, on whichever worker each fresh connection reaches.
    assert len(each_worker(base + "/h/xiasi/api/catalog", served_at_once)) == 2


def test_the_county_calendar_holds_in_every_worker_from_the_moment_it_is_saved(served: ServedProcess) -> None:
    base = served.url
    body = {"holidays": ["2027-01-01", "2027-02-01", "2027-02-05"], "workdays": ["2027-02-07"]}
    r = httpx.put(base + "/api/county/calendar/2027", headers=admin(base), json=body, timeout=30)
    assert r.status_code == 200, r.text

    def county_days(answer: httpx.Response) -> None:
        days = {d["date"]: d for d in answer.json()}
        assert days["2027-02-01"]["working"] is False  # a Monday the county made a holiday
        assert days["2027-02-07"]["working"] is True  # a Sunday worked (调休)
        assert "provisional" not in days["2027-02-01"]

    url = base + "/api/calendar?from=2027-02-01&to=2027-02-07"
    assert len(each_worker(url, county_days)) == 2
    coverage = httpx.get(base + "/api/calendar/coverage", timeout=30).json()
    assert any(y["year"] == 2027 and y["source"] == "county" for y in coverage["years"]), coverage


def test_a_worker_killed_while_16_clients_issue_across_halls_loses_no_answered_ticket(
        pg_url: str, tmp_path: Path) -> None:
    (tmp_path / "var").mkdir()
    server = ServedProcess(tmp_path / "var", pg_url, workers=2).start()
    answered: list[tuple[str, int, str, str]] = []  # hall, id, number, token of every 201
    lock = threading.Lock()
    stop = threading.Event()
    try:
        base = server.url
        headers = admin(base)
        for code in HALLS[1:]:
            assert httpx.post(base + "/api/county/halls", headers=headers, json={"code": code, "name": code},
                              timeout=30).status_code == 201
        kiosks = {}
        for code in HALLS:
            r = httpx.post(f"{base}/h/{code}/api/admin/devices", headers=headers,
                           json={"name": "kiosk", "kind": "kiosk"}, timeout=30)
            kiosks[code] = {"Authorization": "Bearer " + r.json()["token"]}

        def client(n: int) -> None:
            code = HALLS[n % len(HALLS)]
            with httpx.Client(base_url=f"{base}/h/{code}", timeout=10) as http:
                while not stop.is_set():
                    key = uuid.uuid4().hex
                    try:
                        r = http.post("/api/tickets", headers={**kiosks[code], "Idempotency-Key": key},
                                      json={"service": "invoice", "channel": "kiosk"})
                    except httpx.HTTPError:
                        time.sleep(0.05)  # the worker died under this connection: try again afresh
                        continue
                    if r.status_code == 201:
                        t = r.json()
                        with lock:
                            answered.append((code, t["id"], t["number"], t["token"]))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(answered) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        victim = workers_of(server)[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = len(answered)
        deadline = time.monotonic() + 30
        while len(answered) < killed_at + 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        for t in threads:
            t.join(timeout=30)
    finally:
        stop.set()
        server.stop()
    assert killed_at >= 60 and len(answered) >= killed_at + 60, "issuing went on after the kill"
    # A fresh server on the same database: every answered ticket is there, in its own hall.
    restarted = ServedProcess(tmp_path / "var", pg_url, workers=1).start()
    try:
        for code, ticket_id, number, token in answered:
            r = httpx.get(f"{restarted.url}/h/{code}/api/tickets/{ticket_id}", params={"token": token}, timeout=30)
            assert r.status_code == 200, (code, number, r.text)
            assert r.json()["number"] == number
            other = next(h for h in HALLS if h != code)
            assert httpx.get(f"{restarted.url}/h/{other}/api/tickets/{ticket_id}", params={"token": token},
                             timeout=30).status_code == 404
        per_hall = {code: [n for c, _, n, _ in answered if c == code] for code in HALLS}
        for numbers in per_hall.values():
            assert len(numbers) == len(set(numbers)), "no number was given twice in a hall"
    finally:
        restarted.stop()
