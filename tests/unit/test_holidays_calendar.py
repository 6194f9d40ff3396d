"""The working-day calendar's sources in order: hall overrides > county > package > the national rules."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from queue_server.calendar.workcalendar import (
    ADJUSTED_WORKDAY,
    COUNTY,
    HALL_HOLIDAY,
    PROVISIONAL,
    SOURCE,
    CountyCalendar,
    WorkCalendar,
)
from queue_server.domain.holidays import statutory_holidays
from queue_server.domain.workdays import due_date

D = date.fromisoformat

# A schedule the State Council might announce for 2027's National Day: 1–7 October off, with Sunday
# 26 September and Saturday 9 October worked; and New Year: 1–3 January off (Friday to Sunday).
NATIONAL_DAY_2027 = [D("2027-10-01") + timedelta(days=i) for i in range(7)]
COUNTY_2027 = ([*statutory_holidays(2027), *NATIONAL_DAY_2027], [D("2027-09-26"), D("2027-10-09")])


def test_each_year_names_its_source() -> None:
    cal = WorkCalendar()
    assert cal.year_source(2026) == SOURCE == "chinesecalendar 1.11.0"
    assert cal.year_source(2027) == PROVISIONAL
    cal.set_county_years({2027: COUNTY_2027})
    assert cal.year_source(2027) == COUNTY and cal.covered(2027)
    assert cal.uncovered([2026, 2027, 2028]) == [2028]


def test_a_provisional_year_has_the_statutory_days_off_and_no_adjusted_days() -> None:
    cal = WorkCalendar()
    days = [D("2027-01-01") + timedelta(days=i) for i in range(365)]
    off_weekdays = {d for d in days if d.weekday() < 5 and not cal.is_working(d)}
    assert off_weekdays == {d for d in statutory_holidays(2027) if d.weekday() < 5}
    assert all(not cal.is_working(d) for d in days if d.weekday() >= 5)  # no 调休 Saturday
    assert all(cal.is_provisional(d) for d in days) and not cal.is_provisional(D("2026-12-31"))
    assert cal.name(D("2027-02-05")) == "春节" and cal.name(D("2027-02-09")) is None


def test_the_county_schedule_replaces_the_provisional_one() -> None:
    cal = WorkCalendar()
    assert cal.is_working(D("2027-10-04"))  # provisional: a Monday after 国庆 1–3
    cal.set_county_years({2027: COUNTY_2027})
    assert not cal.is_working(D("2027-10-04")) and cal.name(D("2027-10-04")) == "国庆节"
    assert cal.is_working(D("2027-10-09")) and cal.name(D("2027-10-09")) == ADJUSTED_WORKDAY
    assert not cal.is_provisional(D("2027-10-04"))
    # 20 working days from Monday 20 September 2027. County: 21–24, Sun 26, 27–30 (9), Fri 8 and Sat 9 Oct
    # (11), 11–15 (16), 18–21 (20). Provisional: 21–24, 27–30 (8), 4–8 Oct (13), 11–15 (18), 18–19 (20).
    assert due_date(D("2027-09-20"), 20, 0, cal) == D("2027-10-21")
    assert due_date(D("2027-09-20"), 20, 0, WorkCalendar()) == D("2027-10-19")


def test_the_county_overrides_the_package_and_the_hall_overrides_the_county() -> None:
    # A county may correct a year the package knows: here it makes Monday 2 March 2026 a day off.
    cal = WorkCalendar(extra_workdays=[D("2027-10-05")],
                       county=CountyCalendar({2026: ([D("2026-03-02")], []), 2027: COUNTY_2027}))
    assert not cal.is_working(D("2026-03-02")) and cal.year_source(2026) == COUNTY
    assert cal.is_working(D("2026-10-01"))  # the county's 2026 names no National Day: its word is final
    assert cal.is_working(D("2027-10-05"))  # the hall opens on a county holiday
    hall = WorkCalendar(extra_holidays=[D("2027-10-09")], county=cal.county)
    assert not hall.is_working(D("2027-10-09")) and hall.name(D("2027-10-09")) == HALL_HOLIDAY


def test_one_county_calendar_serves_every_hall_at_once() -> None:
    county = CountyCalendar()
    halls = [WorkCalendar(county=county) for _ in range(3)]
    halls[0].set_county_years({2027: COUNTY_2027})
    assert all(not h.is_working(D("2027-10-05")) for h in halls)
    county.replace({})
    assert all(h.is_working(D("2027-10-05")) and h.is_provisional(D("2027-10-05")) for h in halls)


def test_a_reader_never_sees_half_a_replacement() -> None:
    county = CountyCalendar()
    cal = WorkCalendar(county=county)
    seen: set[tuple[bool, bool]] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            # 4 October off and 9 October worked come from the same schedule, so they change together.
            seen.add((cal.is_working(D("2027-10-04")), cal.is_working(D("2027-10-09"))))

    reader = threading.Thread(target=read)
    reader.start()
    for i in range(300):
        county.replace({2027: COUNTY_2027} if i % 2 == 0 else {})
    stop.set()
    reader.join()
    assert seen <= {(True, False), (False, True)}


@pytest.mark.parametrize(("holidays", "workdays", "message"), [
    ([D("2026-10-01")], [], "不属于 2027 年"),
    ([D("2027-10-09")], [D("2027-10-09")], "不能既是节假日又是调休上班日"),
])
def test_a_bad_county_year_is_refused_and_keeps_the_old_schedule(
        holidays: list[date], workdays: list[date], message: str) -> None:
    county = CountyCalendar({2027: COUNTY_2027})
    with pytest.raises(ValueError, match=message):
        county.replace({2027: (holidays, workdays)})
    assert county.years == [2027] and not WorkCalendar(county=county).is_working(D("2027-10-05"))


def test_an_adjusted_working_day_counts_as_the_weekday_it_replaces() -> None:
    cal = WorkCalendar()
    assert cal.counts_as(D("2025-09-28")) == 1  # Sunday worked for Tuesday 7 October
    assert cal.counts_as(D("2026-02-14")) == 4  # Saturday worked for Friday 20 February
    assert cal.counts_as(D("2026-03-04")) == 2  # an ordinary Wednesday
    assert cal.counts_as(D("2026-02-17")) is None  # 春节
    assert cal.counts_as(D("2026-03-07")) is None  # an ordinary Saturday
    # The county's worked days pair with its days off that the rules do not give, in date order.
    cal.set_county_years({2027: COUNTY_2027})
    assert cal.counts_as(D("2027-09-26")) == D("2027-10-04").weekday() == 0
    assert cal.counts_as(D("2027-10-09")) == D("2027-10-05").weekday() == 1
    # A Saturday the hall itself opens counts as a Saturday.
    assert WorkCalendar(extra_workdays=[D("2026-03-07")]).counts_as(D("2026-03-07")) == 5


def test_a_year_beyond_the_lunar_range_counts_monday_to_friday_instead_of_failing() -> None:
    cal = WorkCalendar()
    assert cal.is_working(D("0202-01-01")) == (D("0202-01-01").weekday() < 5)
    assert cal.name(D("3500-10-01")) is None and cal.is_provisional(D("3500-10-01"))
