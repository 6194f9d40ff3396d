"""Statutory holidays from the national rules, checked against the announced schedules and the lunar calendar."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from lunar_python import Lunar, Solar

from queue_server.domain.holidays import (
    counts_as_weekday,
    in_lieu_of_schedule,
    pair_adjusted_days,
    statutory_holidays,
)

D = date.fromisoformat


def _lunar_of(day: date) -> tuple[int, int]:
    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    return lunar.getMonth(), lunar.getDay()


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_computed_day_of_an_announced_year_is_a_holiday_in_the_package(year: int) -> None:
    days = statutory_holidays(year)
    assert len(days) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 under the rules revised from 2025
    for day in days:
        assert chinese_calendar.holidays.get(day) is not None, day
    # And every statutory date the package names a holiday by kind is one we compute.
    kinds = {"春节": 4, "元旦": 1, "清明": 1, "劳动节": 2, "端午": 1, "中秋": 1, "国庆节": 3}
    assert {k: sum(1 for n in days.values() if n == k) for k in kinds} == kinds


def test_the_lunar_days_agree_with_every_announced_year_since_the_2008_rules() -> None:
    # 2008–2026: 初一–初三, 清明, 端午 and 中秋 were days off in every announced schedule (the package lists
    # some that fell on a weekend only as weekends, e.g. Saturday 23 June 2012, so ask it about the day).
    for year in range(2008, 2027):
        days = statutory_holidays(year)
        lunar_named = [d for d, n in days.items() if n in ("清明", "端午", "中秋")]
        spring = sorted(d for d, n in days.items() if n == "春节")[1:]  # 除夕 only became statutory in 2025
        for day in lunar_named + spring:
            assert chinese_calendar.is_holiday(day), day


def test_known_2027_dates() -> None:
    days = statutory_holidays(2027)
    assert days[D("2027-01-01")] == "元旦"
    assert [d for d, n in days.items() if n == "春节"] == [D("2027-02-05"), D("2027-02-06"), D("2027-02-07"),
                                                          D("2027-02-08")]
    assert _lunar_of(D("2027-02-05")) == (12, 29)  # 除夕 is the 29th: the 12th month of 2026 is short
    assert _lunar_of(D("2027-02-06")) == (1, 1)
    assert days[D("2027-04-05")] == "清明"
    assert days[D("2027-05-01")] == days[D("2027-05-02")] == "劳动节"
    assert days[D("2027-06-09")] == "端午" and _lunar_of(D("2027-06-09")) == (5, 5)
    assert days[D("2027-09-15")] == "中秋" and _lunar_of(D("2027-09-15")) == (8, 15)
    assert [d for d, n in days.items() if n == "国庆节"] == [D("2027-10-01"), D("2027-10-02"), D("2027-10-03")]


@pytest.mark.parametrize("year", range(2027, 2100))
def test_qingming_is_the_solar_term_in_later_years(year: int) -> None:
    # chinesecalendar's own solar-term formula (寿星公式) is an independent oracle up to 2099.
    term = next(d for d, n in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30)) if n == "清明")
    assert statutory_holidays(year)[term] == "清明"


@pytest.mark.parametrize("year", [2028, 2030, 2033, 2035, 2040, 2050])
def test_later_years_follow_the_lunar_calendar(year: int) -> None:
    days = statutory_holidays(year)
    spring = sorted(d for d, n in days.items() if n == "春节")
    assert len(spring) == 4 and spring[-1] - spring[0] == timedelta(days=3)
    eve_month, eve_day = _lunar_of(spring[0])
    assert eve_month == 12 and eve_day in (29, 30)
    assert [_lunar_of(d) for d in spring[1:]] == [(1, 1), (1, 2), (1, 3)]
    assert any(n == "端午" and _lunar_of(d) == (5, 5) for d, n in days.items())
    # 中秋 may share 1–3 October with 国庆 (2028: 3 October); the date then carries both names.
    assert any("中秋" in n and _lunar_of(d) == (8, 15) for d, n in days.items())
    assert all(d.year == year for d in days)


def test_a_new_years_eve_on_the_29th_and_one_on_the_30th() -> None:
    eve_2030 = min(d for d, n in statutory_holidays(2030).items() if n == "春节")
    assert eve_2030 == D("2030-02-02") and _lunar_of(eve_2030) == (12, 30)
    eve_2028 = min(d for d, n in statutory_holidays(2028).items() if n == "春节")
    assert eve_2028 == D("2028-01-25") and _lunar_of(eve_2028) == (12, 29)
    # The 12th month of lunar 2027 has 29 days: the day after the eve is 正月初一.
    assert Lunar.fromYmd(2028, 1, 1).getSolar().toYmd() == "2028-01-26"


def test_mid_autumn_on_national_day_gives_no_extra_day() -> None:
    days = statutory_holidays(2028)
    assert days[D("2028-10-03")] == "中秋、国庆节"
    assert len(days) == 12


def test_a_year_outside_the_supported_range_is_refused() -> None:
    with pytest.raises(ValueError):
        statutory_holidays(1800)


def test_adjusted_days_pair_in_order_with_the_days_off_of_the_same_holiday() -> None:
    pairs = pair_adjusted_days(chinese_calendar.workdays, chinese_calendar.in_lieu_days)
    # 2024 Spring Festival: Sun 4 Feb ↔ Thu 15 Feb, Sun 18 Feb ↔ Fri 16 Feb.
    assert pairs[D("2024-02-04")] == D("2024-02-15") and pairs[D("2024-02-18")] == D("2024-02-16")
    assert counts_as_weekday(D("2024-02-04"), pairs) == 3  # Thursday
    # 2024 Mid-autumn: Sat 14 Sep worked for Mon 16 Sep.
    assert counts_as_weekday(D("2024-09-14"), pairs) == 0
    # 2025 National Day: Sun 28 Sep ↔ Tue 7 Oct, Sat 11 Oct ↔ Wed 8 Oct.
    assert counts_as_weekday(D("2025-09-28"), pairs) == 1 and counts_as_weekday(D("2025-10-11"), pairs) == 2
    # 2026 New Year: Sun 4 Jan ↔ Fri 2 Jan; Spring Festival: Sat 14 Feb ↔ Fri 20, Sat 28 Feb ↔ Mon 23.
    assert counts_as_weekday(D("2026-01-04"), pairs) == 4
    assert counts_as_weekday(D("2026-02-14"), pairs) == 4 and counts_as_weekday(D("2026-02-28"), pairs) == 0
    # An ordinary day counts as itself.
    assert counts_as_weekday(D("2026-03-04"), pairs) == 2
    # Every adjusted working day from 2004 on has a pair (2018 had one day off left over).
    assert set(pairs) == set(chinese_calendar.workdays)
    assert D("2018-02-21") not in pairs.values()


def test_pairing_keeps_one_holiday_from_borrowing_another_holidays_days() -> None:
    workdays = {D("2030-09-29"): "国庆", D("2030-05-11"): "劳动"}
    in_lieu = {D("2030-10-04"): "国庆", D("2030-05-03"): "劳动", D("2030-01-02"): "国庆"}
    assert pair_adjusted_days(workdays, in_lieu) == {D("2030-09-29"): D("2030-10-04"),
                                                     D("2030-05-11"): D("2030-05-03")}


def test_an_announced_schedule_s_days_off_beyond_the_statutory_ones_are_its_in_lieu_days() -> None:
    statutory = statutory_holidays(2027)
    off = [*statutory, D("2027-10-04"), D("2027-10-05"), D("2027-10-06"), D("2027-10-07"), D("2027-10-09")]
    assert in_lieu_of_schedule(off, statutory) == {D(f"2027-10-0{i}"): "调休" for i in (4, 5, 6, 7)}
