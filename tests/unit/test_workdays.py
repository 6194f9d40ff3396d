"""Due dates in working days, on the real mainland China calendar and the hall's overrides."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
import yaml

from queue_server.calendar.workcalendar import ADJUSTED_WORKDAY, HALL_HOLIDAY, WorkCalendar
from queue_server.domain.workdays import (
    WeekdayCalendar,
    WorkdayIndex,
    add_working_days,
    due_date,
    on_time,
    running_due,
    suspended_working_days,
    working_days_between,
)
from queue_server.hallconfig.loader import bundled_yaml, dump, parse
from queue_server.halls.hall import Hall

D = date.fromisoformat
CAL = WorkCalendar()


def test_national_day_week_and_its_adjusted_sunday_and_saturday() -> None:
    # 2025: 1–8 October off; Sunday 28 September and Saturday 11 October are worked (调休).
    assert CAL.is_working(D("2025-09-28")) and D("2025-09-28").weekday() == 6
    assert CAL.is_working(D("2025-10-11")) and D("2025-10-11").weekday() == 5
    assert not any(CAL.is_working(D("2025-10-01") + timedelta(days=i)) for i in range(8))
    # Accepted Friday 26 September: Sun 28, Mon 29, Tue 30, then Thu 9 and Fri 10 October.
    assert due_date(D("2025-09-26"), 5, 0, CAL) == D("2025-10-10")
    # The sixth working day is the adjusted Saturday.
    assert due_date(D("2025-09-26"), 6, 0, CAL) == D("2025-10-11")
    assert CAL.name(D("2025-10-01")) == "国庆节"
    assert CAL.name(D("2025-09-28")) == ADJUSTED_WORKDAY


def test_spring_festival_and_its_adjusted_saturdays() -> None:
    # 2026: 15–23 February off; Saturdays 14 and 28 February are worked.
    assert CAL.is_working(D("2026-02-14")) and CAL.is_working(D("2026-02-28"))
    assert not CAL.is_working(D("2026-02-16")) and not CAL.is_working(D("2026-02-23"))
    # Accepted Thursday 12 February: Fri 13, Sat 14 (调休), then Tue 24 after the holiday.
    assert due_date(D("2026-02-12"), 3, 0, CAL) == D("2026-02-24")
    # After Friday 13 up to Saturday 28: Sat 14, Tue 24 … Fri 27, and Sat 28 (调休).
    assert working_days_between(D("2026-02-13"), D("2026-02-28"), CAL) == 6
    assert CAL.name(D("2026-02-17")) == "春节"


def test_a_case_suspended_over_a_weekend_loses_only_the_monday() -> None:
    accepted = D("2026-03-02")  # a Monday in an ordinary week
    assert due_date(accepted, 5, 0, CAL) == D("2026-03-09")
    lost = suspended_working_days(D("2026-03-06"), D("2026-03-09"), CAL)  # Friday → Monday
    assert lost == 1
    assert due_date(accepted, 5, lost, CAL) == D("2026-03-10")
    # While still suspended on Saturday and Sunday the clock does not move; on Monday it does.
    assert running_due(D("2026-03-09"), D("2026-03-06"), D("2026-03-08"), CAL) == D("2026-03-09")
    assert running_due(D("2026-03-09"), D("2026-03-06"), D("2026-03-09"), CAL) == D("2026-03-10")
    assert suspended_working_days(D("2026-03-06"), D("2026-03-06"), CAL) == 0


def test_the_hall_yaml_overrides_single_dates() -> None:
    data = parse(bundled_yaml()).model_dump(mode="json")
    data["settings"]["calendar"] = {"extra_holidays": ["2026-03-09"], "extra_workdays": ["2026-03-07"]}
    config = parse(dump(parse(yaml.safe_dump(data, allow_unicode=True))))
    hall = Hall(config, b"k")
    cal = hall.calendar
    assert not cal.is_working(D("2026-03-09")) and cal.name(D("2026-03-09")) == HALL_HOLIDAY
    assert cal.is_working(D("2026-03-07"))  # a Saturday the hall works
    # Mon 2 March + 5: Tue 3, Wed 4, Thu 5, Fri 6, Sat 7 (worked) — instead of Mon 9.
    assert due_date(D("2026-03-02"), 5, 0, cal) == D("2026-03-07")
    assert due_date(D("2026-03-02"), 6, 0, cal) == D("2026-03-10")  # Monday 9 is off


def test_an_override_cannot_be_both_holiday_and_workday() -> None:
    data = parse(bundled_yaml()).model_dump(mode="json")
    data["settings"]["calendar"] = {"extra_holidays": ["2026-03-09"], "extra_workdays": ["2026-03-09"]}
    with pytest.raises(ValueError, match="both"):
        parse(yaml.safe_dump(data, allow_unicode=True))


def test_a_year_nobody_announced_keeps_the_statutory_holidays_and_counts_every_other_weekday() -> None:
    year = CAL.last_year + 1
    assert CAL.covered(CAL.last_year) and not CAL.covered(year)
    assert CAL.uncovered([CAL.last_year, year]) == [year]
    new_year = date(year, 1, 1)
    # Without an announced schedule, 1 January is still a holiday by the national rules.
    assert not CAL.is_working(new_year) and CAL.name(new_year) == "元旦" and CAL.is_provisional(new_year)
    # Away from the holidays, it counts Monday to Friday.
    start = date(year, 3, 1)
    assert due_date(start, 10, 0, CAL) == due_date(start, 10, 0, WeekdayCalendar())
    # The hall YAML still overrides single dates, either way.
    patched = WorkCalendar(extra_workdays=[new_year])
    assert patched.is_working(new_year) and patched.is_provisional(new_year)


def test_a_case_accepted_before_the_package_s_last_new_year_skips_new_years_day() -> None:
    # 20 working days from Tuesday 8 December 2026: 1 January 2027 is 元旦 even before it is announced.
    assert due_date(D("2026-12-08"), 20, 0, CAL) == D("2027-01-06")
    assert due_date(D("2026-12-08"), 20, 0, WeekdayCalendar()) == D("2027-01-05")


def test_zero_promised_days_is_due_on_the_day_of_acceptance() -> None:
    assert due_date(D("2026-03-04"), 0, 0, CAL) == D("2026-03-04")
    assert add_working_days(D("2026-03-04"), 0, CAL) == D("2026-03-04")
    with pytest.raises(ValueError):
        add_working_days(D("2026-03-04"), -1, CAL)


def test_on_time_means_on_or_before_the_due_date() -> None:
    assert on_time(D("2026-03-09"), D("2026-03-09"))
    assert not on_time(D("2026-03-10"), D("2026-03-09"))


def test_the_statistics_index_counts_like_the_plain_loop() -> None:
    rng = random.Random(7)
    index = WorkdayIndex(D("2025-01-01"), D("2026-12-31"), CAL)
    for _ in range(300):
        a = D("2024-12-01") + timedelta(days=rng.randrange(800))
        b = a + timedelta(days=rng.randrange(-5, 90))
        assert index.between(a, b) == working_days_between(a, b, CAL), (a, b)


def test_the_statistics_index_adds_like_the_plain_loop() -> None:
    rng = random.Random(11)
    index = WorkdayIndex(D("2025-01-01"), D("2026-12-31"), CAL)
    for _ in range(300):
        start = D("2024-12-20") + timedelta(days=rng.randrange(760))
        n = rng.randrange(0, 40)
        assert index.add(start, n) == add_working_days(start, n, CAL), (start, n)
        since = start - timedelta(days=rng.randrange(30))
        today = start + timedelta(days=rng.randrange(30))
        assert index.running_due(start, since, today) == running_due(start, since, today, CAL)
