"""The staffing forecast, pools, advice and backtest, on four hand-computed Mondays and the real calendar."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from queue_server.calendar.workcalendar import WorkCalendar
from queue_server.domain.holidays import days_to_read, pick_days
from queue_server.domain.model import WindowProfile
from queue_server.domain.staffing import (
    Forecast,
    Interval,
    Session,
    Slot,
    TicketFact,
    advice,
    backtest,
    forecast,
    half_hours,
    observe_day,
    pools_of,
    report,
    windows_needed,
)
from tests.support import staffing_fixture as fx

D = date.fromisoformat
CAL = WorkCalendar()
INTERVALS = half_hours(fx.OPENING_HOURS)


def _at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm))


def observed() -> dict[date, list[Slot]]:
    """Sort the fixture's tickets and sessions into slots, as the route will."""
    out = {}
    for d in fx.DAYS:
        tickets = [TicketFact(t.service, _at(d.day, t.issued), t.finished and _at(d.day, t.finished),
                              t.service_seconds) for t in d.tickets]
        sessions = [Session(s.window, _at(d.day, s.start), _at(d.day, s.end)) for s in d.sessions]
        out[d.day] = observe_day(d.day, INTERVALS, tickets, sessions)
    return out


def test_opening_hours_become_half_hours() -> None:
    assert [(i.start.isoformat("minutes"), i.end.isoformat("minutes")) for i in INTERVALS] == [
        ("09:00", "09:30"), ("09:30", "10:00"), ("14:00", "14:30")]
    odd = half_hours([["08:45", "10:00"]])
    assert [i.seconds for i in odd] == [1800, 1800, 900]  # the last piece is cut at closing


def test_the_fixture_sorts_into_the_hand_computed_slots() -> None:
    obs = observed()
    for day, issued in fx.EXPECTED_ISSUED.items():
        assert [sum(s.issued.values()) for s in obs[day]] == issued, day
    monday = obs[D("2026-03-02")]
    assert monday[0].served == {fx.PENSION: (300,), fx.RELIEF: (300, 500)}
    assert monday[0].open_seconds == {1: 1800, 2: 900}
    assert monday[2].served == {} and monday[2].open_seconds == {1: 1800}
    sharp = obs[D("2026-03-16")]  # 9:30 sharp belongs to the half-hour it starts
    assert sharp[1].issued == {fx.PENSION: 1} and sharp[1].served == {fx.PENSION: (500, 800)}
    assert sharp[1].open_seconds == {1: 1800, 2: 1200}


def test_the_forecast_equals_the_hand_computed_figures() -> None:
    obs = observed()
    days = [obs[d] for d in pick_days(fx.TODAY, fx.WEEKDAY, fx.WEEKS, CAL)]
    rows = forecast(days, INTERVALS, target_wait=fx.TARGET_WAIT, target_pct=fx.TARGET_PCT, default_service=300)
    assert [r.arrivals for r in rows] == fx.EXPECTED_ARRIVALS
    assert [r.service_avg for r in rows] == pytest.approx(fx.EXPECTED_SERVICE_AVG, rel=1e-12)
    assert [r.windows_open for r in rows] == pytest.approx(fx.EXPECTED_WINDOWS_OPEN, rel=1e-12)
    assert [r.windows_needed for r in rows] == fx.EXPECTED_WINDOWS_NEEDED
    for r in rows:  # windows_needed and within_pct follow from the reported arrivals and service_avg
        assert (r.windows_needed, r.within_pct) == windows_needed(r.arrivals, r.service_avg, 1800,
                                                                  fx.TARGET_WAIT, fx.TARGET_PCT)
    # 9:00 by hand: load 3 × 528.57 / 1800 = 0.881; two windows: B = 0.17102, C = 0.26938,
    # within 60 s = 1 − C·e^{−1.119 × 60 / 528.57} = 0.7628 < 0.80, so three.
    assert windows_needed(3, 3700 / 7, 1800, 60, 76.2) == (2, pytest.approx(76.275, abs=1e-3))


def test_an_interval_with_nothing_finished_takes_the_mean_of_those_days() -> None:
    quiet = [[Slot({"x": 2}, {"x": (100.0, 300.0)}), Slot({"x": 1})]]
    rows = forecast(quiet, INTERVALS[:2], target_wait=60, target_pct=80, default_service=999)
    assert [r.service_avg for r in rows] == [200.0, 200.0]
    empty = forecast([[Slot(), Slot()]], INTERVALS[:2], target_wait=60, target_pct=80, default_service=999)
    assert [(r.arrivals, r.service_avg, r.windows_needed, r.within_pct) for r in empty] == [(0, 999, 0, 100.0)] * 2
    assert forecast([], INTERVALS[:1], target_wait=60, target_pct=80, default_service=5)[0].arrivals == 0


def test_an_adjusted_saturday_counts_as_the_weekday_it_replaces() -> None:
    # 2026: Sat 14 Feb worked for Fri 20 Feb (off), Sat 28 Feb worked for Mon 23 Feb (off); 16 Feb is 春节.
    assert pick_days(D("2026-03-06"), 5, 4, CAL) == [D("2026-02-13"), D("2026-02-14"), D("2026-02-27"),
                                                      D("2026-03-06")]
    assert pick_days(D("2026-03-02"), 1, 3, CAL) == [D("2026-02-09"), D("2026-02-28"), D("2026-03-02")]
    # Today counts only when it is a working day of that weekday.
    assert pick_days(D("2026-03-03"), 1, 1, CAL) == [D("2026-03-02")]
    # The report's 3 Mondays, and the 3 working Mondays before each of them for the backtest.
    assert days_to_read(fx.TODAY, 1, 3, CAL) == [D("2026-02-09"), D("2026-02-28"), D("2026-03-02"),
                                                 D("2026-03-09"), D("2026-03-16"), D("2026-03-23")]
    with pytest.raises(ValueError, match="星期须为 1–7"):
        pick_days(fx.TODAY, 8, 4, CAL)


def test_pools_split_a_shared_service_by_window_count() -> None:
    profiles = [WindowProfile.of(n, tiers) for n, tiers in fx.WINDOW_TIERS.items()]
    pools = pools_of(profiles, [fx.PENSION, fx.RELIEF])
    assert {p.windows: dict(p.shares) for p in pools} == fx.EXPECTED_POOL_SHARES
    obs = observed()
    days = [obs[d] for d in pick_days(fx.TODAY, fx.WEEKDAY, fx.WEEKS, CAL)]
    by_pool = {p.windows: forecast(days, INTERVALS, target_wait=60, target_pct=80, default_service=300,
                                   weights=p.shares, windows=p.windows) for p in pools}
    two = by_pool[(2,)]
    assert [r.arrivals for r in two] == fx.EXPECTED_POOL2_ARRIVALS
    assert [r.service_avg for r in two] == pytest.approx(fx.EXPECTED_POOL2_SERVICE_AVG, rel=1e-12)
    assert [r.windows_open for r in two] == pytest.approx(fx.EXPECTED_POOL2_OPEN, rel=1e-12)
    # The pools' arrivals add up to the hall's.
    for k, total in enumerate(fx.EXPECTED_ARRIVALS):
        assert by_pool[(1,)][k].arrivals + two[k].arrivals == pytest.approx(total)


def test_pools_group_identical_profiles_and_reach_down_to_a_later_tier() -> None:
    profiles = [WindowProfile.of(1, [["a", "b"]]), WindowProfile.of(2, [["a", "b"]]),
                WindowProfile.of(3, [["a"], ["b", "c"]]), WindowProfile.of(4, [["d"], ["c"]])]
    pools = {p.windows: dict(p.shares) for p in pools_of(profiles, ["a", "b", "c", "e"])}
    # a: first tier of pools (1,2) and (3,) → 2/3 and 1/3. b: first tier of (1,2) only. c: nobody has it
    # first; tier 2 of (3,) and (4,) → half each. e: no window serves it.
    assert pools == {(1, 2): {"a": 2 / 3, "b": 1.0}, (3,): {"a": 1 / 3, "c": 0.5}, (4,): {"c": 0.5}}


def _row(start: str, end: str, needed: int, opened: float) -> Forecast:
    return Forecast(start, end, 1.0, 300.0, needed, opened, 90.0)


def test_advice_joins_runs_and_says_nothing_where_open_matches() -> None:
    rows = [_row("09:00", "09:30", 6, 4.2), _row("09:30", "10:00", 6, 3.6), _row("10:00", "10:30", 6, 4.4),
            _row("10:30", "11:00", 3, 3.4), _row("11:00", "11:30", 0, 1.0), _row("13:30", "14:00", 2, 1.0),
            _row("14:00", "14:30", 2, 0.6)]
    assert advice(1, 8, rows) == ["周一 9:00–10:30 建议开 6 个窗口（过去 8 周平均开 4 个）",
                                  "周一 11:00–11:30 无需开窗口（过去 8 周平均开 1 个）",
                                  "周一 13:30–14:30 建议开 2 个窗口（过去 8 周平均开 1 个）"]
    assert advice(7, 1, [_row("09:00", "09:30", 2, 1.5)]) == []  # 1.5 open reads as 2
    # The lunch break splits a run even when the numbers agree.
    split = [_row("11:30", "12:00", 2, 1.0), _row("13:30", "14:00", 2, 1.0)]
    assert len(advice(3, 4, split)) == 2 and advice(3, 4, split)[0].startswith("周三 11:30–12:00")


def test_the_backtest_matches_the_hand_computed_error() -> None:
    chosen = pick_days(fx.TODAY, fx.WEEKDAY, fx.WEEKS, CAL)
    days, mape = backtest(chosen, observed(), fx.WEEKDAY, fx.WEEKS, CAL)
    assert {"days": days, "arrivals_mape_pct": mape} == pytest.approx(fx.EXPECTED_BACKTEST)
    assert backtest(chosen[:1], observed(), 1, 4, CAL) == (0, None)  # nothing before the first day


def test_the_report_is_the_contract_s_shape() -> None:
    answer = report(today=fx.TODAY, weekday=fx.WEEKDAY, weeks=fx.WEEKS, target_wait=fx.TARGET_WAIT,
                    target_pct=fx.TARGET_PCT, intervals=INTERVALS, observed=observed(), cal=CAL,
                    default_service=300)
    assert set(answer) == {"weekday", "weeks", "target_wait", "target_pct", "intervals", "advice", "backtest"}
    assert [set(i) for i in answer["intervals"]] == [{"start", "end", "arrivals", "service_avg", "windows_needed",
                                                      "windows_open", "within_pct"}] * 3
    assert [i["windows_needed"] for i in answer["intervals"]] == fx.EXPECTED_WINDOWS_NEEDED
    assert answer["advice"] == fx.EXPECTED_ADVICE
    assert answer["backtest"] == pytest.approx(fx.EXPECTED_BACKTEST)


def test_an_interval_cut_short_counts_its_own_length() -> None:
    short = Interval(time(17, 0), time(17, 15))
    rows = forecast([[Slot({"x": 5}, {"x": (180.0,)}, {1: 900.0})]], [short], target_wait=20, target_pct=80,
                    default_service=180)
    assert rows[0].windows_open == 1.0
    assert (rows[0].windows_needed, rows[0].within_pct) == windows_needed(5, 180, 900, 20, 80)
