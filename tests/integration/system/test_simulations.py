"""The simulations behind the demo: weeks of realistic cases, a day of tickets, through the HTTP API."""

from __future__ import annotations

from datetime import datetime

import pytest

from queue_server.devtools.cases import simulate_cases
from tests.support.clock import MovableClock
from tests.support.http import login
from tests.support.live import Api, LiveServer


@pytest.mark.server(clock="2026-11-30 18:00")
def test_simulated_weeks_give_the_case_screens_something_to_show(
        live: LiveServer, clock: MovableClock, api: Api) -> None:
    real_now = clock.now
    admin = api.admin()

    def set_time(at: datetime | None) -> None:
        clock.now = at or real_now

    report = simulate_cases(live.url, admin, days=28, per_day=8, seed=3, now=real_now, set_time=set_time)
    assert not report.errors
    assert clock.now == real_now  # time is handed back
    assert report.accepted > 100 and report.suspended > 0 and report.late > 0 and report.withdrawn > 0
    stats = api.http.get("/api/stats/cases", headers=admin,
                         params={"from": "2026-11-01", "to": "2026-11-30"}).json()
    assert all(n > 0 for n in stats["by_mode"].values()), stats["by_mode"]
    assert 50 < stats["on_time_pct"] < 100 and stats["completed"] > stats["completed_on_time"]
    assert stats["open"] > 0
    suspended = api.http.get("/api/cases", headers=admin, params={"status": "suspended"}).json()
    delivered = api.http.get("/api/cases", headers=admin, params={"status": "delivered"}).json()
    assert suspended["total"] + delivered["total"] > 0 and delivered["total"] > 0
    # Village agents of V01–V03 sent cases and 家能办 batches; the hall worked them, agents delivered.
    assert report.village > 0
    assert {"agent", "home"} <= {k for k, n in stats["by_channel"].items() if n > 0}, stats["by_channel"]
    assert stats["by_station"] and {row["station"] for row in stats["by_station"]} <= {"V01", "V02", "V03"}
    assert any(row["completed"] > 0 for row in stats["by_station"])
    village = api.http.get("/api/cases", headers=admin, params={"queue": "proxy", "status": "delivered",
                                                                "limit": 200}).json()["cases"]
    assert any(c["delivery"] == "agent" for c in village)
    batches = {c["batch"] for c in api.http.get("/api/cases", headers=admin, params={
        "queue": "proxy", "limit": 200}).json()["cases"] if c["channel"] == "home" and c.get("batch")}
    assert batches
    users = api.http.get("/api/admin/users", headers=admin).json()
    agents = [u for u in (users["users"] if isinstance(users, dict) else users) if u["role"] == "agent"]
    assert 2 <= len(agents) <= 3


def test_simulated_clerks_have_random_passwords(live: LiveServer, api: Api) -> None:
    from queue_server.devtools.simulate import simulate

    admin = api.admin()
    simulate(live.url, admin, tickets=2, windows=1, hours=(9, 10), advance=lambda _s: None)
    names = [u["username"] for u in api.http.get("/api/admin/users", headers=admin).json()
             if u["username"].startswith("sim")]
    assert names
    assert login(live, names[0], "sim-password-1").status_code == 401


@pytest.mark.server(clock="2026-12-01 09:00")
def test_a_simulated_day_fills_the_outbox_through_the_log_provider(
        live: LiveServer, clock: MovableClock, api: Api) -> None:
    from datetime import timedelta

    from queue_server.devtools.simulate import FAKE_PHONE, simulate
    from tests.support.wait import eventually

    admin = api.admin()

    def advance(seconds: float) -> None:
        clock.now += timedelta(seconds=seconds)

    report = simulate(live.url, admin, tickets=40, windows=3, hours=(9, 11), advance=advance, seed=5)
    assert report.issued == 40
    today = clock.now.date().isoformat()

    def logged() -> list[dict[str, object]]:
        listed = api.http.get("/api/sms", headers=admin, params={"status": "logged", "from": "2026-12-01",
                                                                 "to": today}).json()["messages"]
        return [m for m in listed if m["kind"] == "called"]

    called = eventually(logged, timeout=10, what="called texts logged")
    # The demo's residents carry placeholder numbers (138 0000 0000 + n), shown masked, never sent.
    assert all(str(m["phone"]).startswith("138****") for m in called)
    assert str(FAKE_PHONE).startswith("138")
    assert api.http.get("/api/sms", headers=admin, params={"status": "sent"}).json()["total"] == 0
