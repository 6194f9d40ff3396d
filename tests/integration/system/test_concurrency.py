"""Concurrency on SQLite and on a real PostgreSQL server: no ticket duplicated, none lost."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.live import Api

pytestmark = pytest.mark.server(db="both")

SERVICES = ["forestry-permit", "invoice", "pension-insurance", "rural-housing",
            "disability-certificate", "veterans-benefits", "business-license", "gas-service"]


def _issue_many(api: Api, kiosk: dict[str, str], count: int, workers: int) -> list[dict]:
    def one(i: int) -> dict:
        with httpx.Client(base_url=api.base, timeout=60) as http:
            r = http.post("/api/tickets", headers=kiosk,
                          json={"service": SERVICES[i % len(SERVICES)], "channel": "kiosk"})
            assert r.status_code == 201, r.text
            return dict(r.json())

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, range(count)))


def test_concurrent_issuers_get_unique_gap_free_numbers(api: Api) -> None:
    kiosk, _ = api.device("kiosk")
    tickets = _issue_many(api, kiosk, 1000, 8)
    assert len({t["id"] for t in tickets}) == 1000
    by_category: dict[str, list[int]] = defaultdict(list)
    for t in tickets:
        match = re.fullmatch(r"([A-H])(\d{3,})", t["number"])
        assert match, t["number"]
        assert match.group(1) == t["category"]
        by_category[t["category"]].append(int(match.group(2)))
    for category, numbers in by_category.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), category
    queue = api.http.get("/api/queue").json()
    assert sum(c["waiting"] for c in queue["categories"]) == 1000


def test_eighteen_windows_calling_at_once_call_every_ticket_exactly_once(api: Api) -> None:
    kiosk, _ = api.device("kiosk")
    issued = _issue_many(api, kiosk, 500, 8)
    clerks = {n: api.user(f"clerk{n}") for n in range(1, 19)}
    for n, headers in clerks.items():
        assert api.http.post(f"/api/windows/{n}/open", headers=headers).status_code == 200

    def work(n: int) -> list[int]:
        called = []
        with httpx.Client(base_url=api.base, timeout=60) as http:
            while True:
                r = http.post(f"/api/windows/{n}/call-next", headers=clerks[n])
                if r.status_code == 204:
                    return called
                assert r.status_code == 200, r.text
                ticket = r.json()["ticket"]
                assert ticket["window"] == n and ticket["status"] == "called"
                called.append(ticket["id"])
                done = http.post(f"/api/windows/{n}/finish", headers=clerks[n],
                                 json={"outcome": "done"})
                assert done.status_code == 200, done.text

    with ThreadPoolExecutor(18) as pool:
        results = list(pool.map(work, range(1, 19)))
    calls = Counter(i for called in results for i in called)
    assert set(calls) == {t["id"] for t in issued}
    assert max(calls.values()) == 1
    assert sum(1 for called in results if called) > 1  # the work really was shared
    admin = api.admin()
    for t in issued[:: 50]:
        got = api.http.get(f"/api/tickets/{t['id']}", headers=admin).json()
        assert got["status"] == "done" and got["call_count"] == 1
