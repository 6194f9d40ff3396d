"""Pure statistics: percentiles, averages, service level, buckets and alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from queue_server.domain.alerts import device_alerts, idle_alerts, sla_breaches
from queue_server.domain.statistics import (
    Facts,
    mean,
    nearest_rank,
    parse_range,
    summarize,
    wait_buckets,
    within_sla,
)

NOW = datetime(2025, 6, 10, 6, 0, tzinfo=UTC)


def test_nearest_rank_picks_the_ceiling_rank() -> None:
    values = [float(v) for v in range(1, 11)]  # 1..10
    assert nearest_rank(values, 90) == 9.0  # ceil(0.9 · 10) = 9, not 10
    assert nearest_rank(values, 50) == 5.0
    assert nearest_rank(values, 100) == 10.0
    assert nearest_rank([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], 50) == 4.0  # ceil(3.5)
    assert nearest_rank([42.0], 90) == 42.0
    assert nearest_rank([], 50) is None
    with pytest.raises(ValueError):
        nearest_rank([1.0], 0)


def test_mean_over_nothing_is_none() -> None:
    assert mean([]) is None
    assert mean([1.0, 2.0, 6.0]) == 3.0


def test_service_level_counts_the_threshold_itself_as_within() -> None:
    assert within_sla([100.0, 899.0, 900.0, 900.5, 2000.0], 900) == 3
    assert within_sla([], 900) == 0


def test_wait_buckets_are_half_open_minutes() -> None:
    waits = [0, 299, 300, 599, 600, 899, 900, 1799, 1800, 3599, 3600, 99999]
    counts = [b["count"] for b in wait_buckets(float(w) for w in waits)]
    assert counts == [2, 2, 2, 2, 2, 2]
    assert [b["bucket"] for b in wait_buckets([])] == ["0–5", "5–10", "10–15", "15–30",
                                                       "30–60", "60+"]


def test_summarize_an_empty_range_gives_zeros_and_nulls() -> None:
    s = summarize(Facts(), first=date(2025, 1, 1), last=date(2025, 1, 1), sla_seconds=900)
    assert s["issued"] == 0 and s["served"] == 0 and s["no_show_pct"] is None
    assert s["wait"]["avg"] is None and s["service"]["p90"] is None
    assert s["sla"]["within_pct"] is None and s["satisfaction"]["satisfied_pct"] is None
    assert s["outcomes"] == {"done": 0, "deferred": 0, "proxy": 0, "incomplete": 0}


def test_summarize_counts_satisfaction_from_grade_four() -> None:
    facts = Facts(statuses={"done": 4}, grades={5: 2, 4: 1, 3: 1, 1: 1})
    s = summarize(facts, first=date(2025, 1, 1), last=date(2025, 1, 1), sla_seconds=900)
    assert s["satisfaction"]["count"] == 5 and s["satisfaction"]["satisfied_pct"] == 60.0
    assert s["satisfaction"]["avg"] == 3.6


def test_parse_range_defaults_and_refuses_reversed_ranges() -> None:
    today = date(2025, 6, 10)
    assert parse_range(None, None, today) == (today, today)
    assert parse_range("2025-06-01", None, today) == (date(2025, 6, 1), date(2025, 6, 1))
    with pytest.raises(ValueError):
        parse_range("2025-06-02", "2025-06-01", today)


def test_sla_breaches_list_the_longest_waits_first() -> None:
    waiting = [("A001", "x", NOW - timedelta(minutes=20)), ("A002", "x", NOW - timedelta(minutes=5)),
               ("B001", "y", NOW - timedelta(minutes=40))]
    out = sla_breaches(waiting, NOW, 900)
    assert [b["number"] for b in out] == ["B001", "A001"]
    assert out[0]["waited_seconds"] == 2400


def test_device_alerts_flag_paper_out_and_silent_devices() -> None:
    devices = [
        {"name": "k1", "kind": "kiosk", "window": None, "status": "paper_out", "last_seen": NOW},
        {"name": "d1", "kind": "display", "window": None, "status": "ok",
         "last_seen": NOW - timedelta(minutes=30)},
        {"name": "p1", "kind": "pad", "window": 3, "status": "ok", "last_seen": NOW},
        {"name": "new", "kind": "pad", "window": 4, "status": None, "last_seen": None},
    ]
    out = device_alerts(devices, NOW, timedelta(minutes=10))
    assert [(a["device"], a["status"]) for a in out] == [("k1", "paper_out"), ("d1", "stale")]
    assert "缺纸" in out[0]["message"] and "30 分钟" in out[1]["message"]


def test_idle_alerts_need_an_open_empty_window_with_eligible_residents() -> None:
    base = {"status": "open", "current": None, "eligible_waiting": 3,
            "idle_since": NOW - timedelta(minutes=5)}
    windows = [{**base, "number": 1},
               {**base, "number": 2, "current": {"number": "A1"}},
               {**base, "number": 3, "eligible_waiting": 0},
               {**base, "number": 4, "status": "paused"},
               {**base, "number": 5, "idle_since": NOW - timedelta(seconds=30)}]
    out = idle_alerts(windows, NOW, timedelta(minutes=2))
    assert [a["window"] for a in out] == [1]


def test_fold_tickets_sorts_values_and_groups_in_one_pass() -> None:
    from queue_server.domain.statistics import fold_tickets

    rows = [("done", "proxy", "kiosk", 1, "invoice", "c1", "2025-06-10 01", 300.0, 200.0, 4.0),
            ("done", "done", "mobile", 2, "invoice", "c2", "2025-06-10 01", 100.0, 400.0, None),
            ("no_show", None, "kiosk", 2, "tax-filing", "c2", "2025-06-10 02", 50.0, None, 1.0),
            ("waiting", None, "kiosk", None, "tax-filing", None, "2025-06-10 02", None, None, 3.0)]
    f = fold_tickets(rows, lambda b: int(b[-2:]) + 8)
    assert f.waits == [50.0, 100.0, 300.0] and f.services == [200.0, 400.0]
    assert f.outcomes == {"proxy": 1, "done": 1} and f.statuses["no_show"] == 1
    assert (f.eta_abs_err_sum, f.eta_n) == (abs(4.0 - 5.0) + abs(1.0 - 50 / 60), 2)
    assert sorted(f.by_hour) == [9, 10] and f.by_hour[10].issued == 2
    assert f.by_window[2].served == 1 and f.by_clerk["c1"].service_sum == 200.0
