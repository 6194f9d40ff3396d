"""GET /api/stats/staffing on the hand-computed fixture played through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete
from sqlmodel import Session, col, select

from queue_server.db.migrate import MIGRATIONS
from queue_server.windows.sessions import WindowSession
from tests.support import staffing_fixture as fx
from tests.support.live import Api, LiveServer
from tests.support.staffing_replay import hall_yaml, local, replay

QUERY = {"weekday": fx.WEEKDAY, "weeks": fx.WEEKS, "target_wait": fx.TARGET_WAIT, "target_pct": fx.TARGET_PCT}


@pytest.fixture
def played(tmp_path: Path, any_db: str) -> Iterator[tuple[LiveServer, Api, dict[str, str]]]:
    """Run the fixture's hall and play its four Mondays through the API; the clock stays at 23 March 17:00."""
    live = LiveServer(tmp_path / "var", any_db, config=hall_yaml(tmp_path), session_hours=24 * 365).start()
    api = Api(live.url)
    try:
        manager = api.user("boss", "manager")
        replay(live, api)
        yield live, api, manager
    finally:
        api.close()
        live.stop()


def _get(api: Api, headers: dict[str, str], **params: Any) -> Any:
    r = api.http.get("/api/stats/staffing", headers=headers, params={**QUERY, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_the_answer_is_the_hand_computed_one(played: tuple[LiveServer, Api, dict[str, str]]) -> None:
    _, api, manager = played
    a = _get(api, manager)
    assert (a["weekday"], a["weeks"], a["target_wait"], a["target_pct"]) == (1, 4, 60, 80)
    assert a["days"] == [d.day.isoformat() for d in fx.DAYS]
    rows = a["intervals"]
    assert [(r["start"], r["end"]) for r in rows] == [("09:00", "09:30"), ("09:30", "10:00"), ("14:00", "14:30")]
    assert [r["arrivals"] for r in rows] == fx.EXPECTED_ARRIVALS
    assert [r["service_avg"] for r in rows] == fx.EXPECTED_SERVICE_AVG  # sums of whole seconds: exact
    assert [r["windows_open"] for r in rows] == pytest.approx(fx.EXPECTED_WINDOWS_OPEN, rel=1e-12)
    assert [r["windows_needed"] for r in rows] == fx.EXPECTED_WINDOWS_NEEDED
    assert rows[0]["within_pct"] >= 80 > 76.3  # two windows would give 76.3 %
    assert a["advice"] == fx.EXPECTED_ADVICE
    assert a["backtest"] == pytest.approx(fx.EXPECTED_BACKTEST)
    pools = {tuple(p["windows"]): p for p in a["pools"]}
    assert set(pools) == {(1,), (2,)}
    for windows, shares in fx.EXPECTED_POOL_SHARES.items():
        assert {s: pools[windows]["shares"].get(s, 0.0) for s in (fx.PENSION, fx.RELIEF)} == {
            fx.PENSION: shares.get(fx.PENSION, 0.0), fx.RELIEF: shares.get(fx.RELIEF, 0.0)}
    two = pools[(2,)]["intervals"]
    assert [r["arrivals"] for r in two] == fx.EXPECTED_POOL2_ARRIVALS
    assert [r["service_avg"] for r in two] == pytest.approx(fx.EXPECTED_POOL2_SERVICE_AVG, rel=1e-12)
    assert [r["windows_open"] for r in two] == pytest.approx(fx.EXPECTED_POOL2_OPEN, rel=1e-12)
    assert pools[(2,)]["name"] == "2 号窗口"
    for k, total in enumerate(fx.EXPECTED_ARRIVALS):
        assert pools[(1,)]["intervals"][k]["arrivals"] + two[k]["arrivals"] == pytest.approx(total)


def test_the_window_sessions_are_the_fixture_s_and_the_backfill_rebuilds_them(
        played: tuple[LiveServer, Api, dict[str, str]]) -> None:
    live, api, manager = played
    expected = sorted((s.window, local(d.day, s.start), local(d.day, s.end)) for d in fx.DAYS for s in d.sessions)
    engine = live.runtime.engine

    def rows() -> list[tuple[int, datetime, datetime | None]]:
        with Session(engine) as s:
            return sorted((w.window, w.opened_at, w.closed_at) for w in s.exec(select(WindowSession)).all())

    assert rows() == expected  # the pause from 9:40 to 9:50 on 16 March is no open time
    spec = importlib.util.spec_from_file_location("m0014", MIGRATIONS / "versions" / "0014_window_sessions.py")
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with engine.begin() as conn:
        conn.execute(delete(WindowSession))
    assert rows() == []
    with engine.begin() as conn:
        assert migration.backfill(conn) == len(expected)
    assert rows() == expected
    assert _get(api, manager)["advice"] == fx.EXPECTED_ADVICE


def test_an_open_window_counts_until_now_and_another_hall_s_windows_never_count(
        played: tuple[LiveServer, Api, dict[str, str]]) -> None:
    live, api, manager = played
    admin = api.admin()
    r = api.http.post("/api/county/halls", headers=admin, json={"code": "other", "name": "别的镇便民服务中心"})
    assert r.status_code == 201, r.text
    other = Api(f"{live.url}/h/other")
    try:
        clerk = other.user("otherclerk", "clerk")
        boss = other.user("otherboss", "manager")
        # The other hall opens its window 2 all afternoon on the fixture's last Monday: not this hall's.
        held = live.runtime.clock  # the replay's HeldClock
        held.now = local(fx.TODAY, "13:00")
        assert other.http.post("/api/windows/2/open", headers=clerk).status_code == 200
        held.now = local(fx.TODAY, "15:00")
        assert other.http.post("/api/windows/2/close", headers=clerk).status_code == 200
        held.now = local(fx.TODAY, "17:00")
        assert _get(api, manager)["intervals"][2]["windows_open"] == pytest.approx(fx.EXPECTED_WINDOWS_OPEN[2])
        theirs = other.http.get("/api/stats/staffing", headers=boss, params=QUERY).json()
        assert theirs["days"] == [fx.TODAY.isoformat()]  # its only day of data
        assert [r["arrivals"] for r in theirs["intervals"]] == [0, 0, 0]
        assert [r["windows_open"] for r in theirs["intervals"]] == [0, 0, 1]
        assert theirs["advice"] == ["周一 14:00–14:30 无需开窗口（过去 4 周平均开 1 个）"]
        # A window still open counts until now: window 1 opened at 14:00 and asked at 14:15 → half the 14:00 slot.
        held.now = local(fx.TODAY, "14:00")
        assert api.http.post("/api/windows/1/open", headers=manager).status_code == 200
        held.now = local(fx.TODAY, "14:15")
        with Session(live.runtime.engine) as s:
            still = s.exec(select(WindowSession).where(WindowSession.hall == "puan",
                                                       col(WindowSession.closed_at).is_(None))).all()
        assert [(w.window, w.opened_at) for w in still] == [(1, local(fx.TODAY, "14:00"))]
        slot = _get(api, manager)["intervals"][2]
        assert slot["windows_open"] == pytest.approx((1800 + 1800 + 600 + 1800 + 900) / 7200)
    finally:
        other.close()


@pytest.mark.parametrize(("params", "words"), [
    ({"weekday": 0}, "星期"), ({"weekday": 8}, "星期"), ({"weeks": 0}, "周数"), ({"weeks": 53}, "周数"),
    ({"target_wait": -1}, "等候时间"), ({"target_wait": "inf"}, "等候时间"), ({"target_pct": 100.5}, "目标比例"),
    ({"target_pct": -0.1}, "目标比例"), ({"target_pct": "nan"}, "目标比例"), ({"weekday": "周一"}, "请求内容不正确"),
])
def test_bad_parameters_get_a_clear_chinese_422(live: LiveServer, api: Api, params: dict[str, Any],
                                                 words: str) -> None:
    manager = api.user("boss", "manager")
    r = api.http.get("/api/stats/staffing", headers=manager, params=params)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid" and words in r.json()["error"]["message"]


def test_only_managers_ask_and_the_weekday_defaults_to_today_s(live: LiveServer, api: Api) -> None:
    assert api.http.get("/api/stats/staffing").status_code == 401
    assert api.http.get("/api/stats/staffing", headers=api.user("c1", "clerk")).status_code == 403
    live.runtime.clock = lambda: datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in the hall
    a = api.http.get("/api/stats/staffing", headers=api.user("m1", "manager")).json()
    assert (a["weekday"], a["weeks"], a["target_wait"], a["target_pct"]) == (3, 8, 600, 80)
    assert a["days"] == [] and a["backtest"] == {"days": 0, "arrivals_mape_pct": None}
    assert len(a["intervals"]) == 14 and all(r["windows_needed"] == 0 for r in a["intervals"])
    assert not any(math.isnan(r["within_pct"]) for r in a["intervals"]) and a["advice"] == []
    assert a["pools"] and sum(len(p["windows"]) for p in a["pools"]) == 18


def test_the_rollover_s_closes_end_the_stretches(live: LiveServer, api: Api) -> None:
    from queue_server.jobs.rollover import rollover

    clerk = api.user("late", "clerk")
    monday = local(fx.TODAY, "16:00")
    live.runtime.clock = lambda: monday
    assert api.http.post("/api/windows/3/open", headers=clerk).status_code == 200
    assert api.http.post("/api/windows/4/open", headers=clerk).status_code == 409  # one window a clerk
    assert api.http.post("/api/windows/3/pause", headers=clerk).status_code == 200
    assert api.http.post("/api/windows/3/resume", headers=clerk).status_code == 200
    night = local(fx.TODAY, "23:59") + timedelta(minutes=5)  # the clerk went home with the window open
    hall = live.runtime
    hall.db.run_write(lambda uow: rollover(uow, night))
    with Session(live.runtime.engine) as s:
        rows = sorted((w.window, w.opened_at, w.closed_at) for w in s.exec(select(WindowSession)).all())
    assert rows == [(3, monday, monday), (3, monday, night)]
