"""The hall's working-day calendar: the hall's overrides, the county's schedule, the package, the rules.

Precedence for a date: the hall's own overrides (YAML) > the county's schedule for its year (given by the
county admin from the State Council's notice) > the chinesecalendar package > the provisional statutory
holidays of the national rules (every other Monday–Friday working, no 调休).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

import chinese_calendar

from queue_server.domain.holidays import (
    FIRST_YEAR,
    LAST_YEAR,
    counts_as_weekday,
    in_lieu_of_schedule,
    pair_adjusted_days,
    statutory_holidays,
)

SOURCE = f"chinesecalendar {chinese_calendar.__version__}"
COUNTY = "county"
PROVISIONAL = "provisional"
ADJUSTED_WORKDAY = "调休上班"
HALL_HOLIDAY = "本中心休息"
HALL_WORKDAY = "本中心上班"
DAY_OFF = "休息日"  # a county day off with no statutory holiday within a week of it
NEAR_HOLIDAY_DAYS = 7

CountyYears = Mapping[int, tuple[Iterable[date], Iterable[date]]]  # year → (holidays, workdays)


@cache
def _package() -> tuple[dict[date, str], dict[date, str], frozenset[int], dict[date, date]]:
    """Return the package's holidays and adjusted working days with Chinese names, its years, and pairs."""
    chinese = {h.value: h.chinese for h in chinese_calendar.Holiday}
    holidays = {d: chinese.get(name, str(name)) for d, name in chinese_calendar.holidays.items()}
    workdays = {d: ADJUSTED_WORKDAY for d in chinese_calendar.workdays}
    pairs = pair_adjusted_days(chinese_calendar.workdays, chinese_calendar.in_lieu_days)
    return holidays, workdays, frozenset(d.year for d in holidays), pairs


@lru_cache(maxsize=32)
def _provisional(year: int) -> dict[date, str]:
    # Outside the lunar package's sane range (a typo such as 0202) there is nothing to compute: Mon–Fri.
    return statutory_holidays(year) if FIRST_YEAR <= year <= LAST_YEAR else {}


def _near_name(day: date, statutory: Mapping[date, str]) -> str:
    """Name a county day off after the nearest statutory holiday within a week, else 休息日."""
    near = [(abs((d - day).days), d) for d in statutory if abs((d - day).days) <= NEAR_HOLIDAY_DAYS]
    return statutory[min(near)[1]] if near else DAY_OFF


@dataclass(frozen=True)
class CountyYear:
    """One year's schedule as the county admin entered it from the State Council's notice."""

    year: int
    holidays: dict[date, str]  # date → name
    workdays: frozenset[date]
    pairs: dict[date, date] = field(default_factory=dict)  # worked weekend day → the day off it pays for

    @classmethod
    def of(cls, year: int, holidays: Iterable[date], workdays: Iterable[date]) -> CountyYear:
        """Check a year's schedule and name its days; raise ValueError with a Chinese message."""
        off, on = sorted(set(holidays)), frozenset(workdays)
        if wrong := [d for d in [*off, *on] if d.year != year]:
            raise ValueError(f"{wrong[0].isoformat()} 不属于 {year} 年")
        if both := sorted(set(off) & on):
            raise ValueError(f"{both[0].isoformat()} 不能既是节假日又是调休上班日")
        statutory = _provisional(year)
        names = {d: statutory.get(d) or _near_name(d, statutory) for d in off}
        pairs = pair_adjusted_days({d: "调休" for d in on}, in_lieu_of_schedule(off, statutory))
        return cls(year, names, on, pairs)


class CountyCalendar:
    """The county's schedules by year; one object shared by every hall's calendar, replaced whole."""

    def __init__(self, years: CountyYears | None = None) -> None:
        self._years: dict[int, CountyYear] = {}
        self.replace(years or {})

    def replace(self, years: CountyYears) -> None:
        """Replace every year at once (checked first, so a bad year leaves the old schedule in place)."""
        built = {y: CountyYear.of(y, off, on) for y, (off, on) in years.items()}
        self._years = built  # one reference swap: a reader sees the old mapping or the new, never half

    def get(self, year: int) -> CountyYear | None:
        """Return the county's schedule for a year, if it gave one."""
        return self._years.get(year)

    @property
    def years(self) -> list[int]:
        """Return the years the county has given."""
        return sorted(self._years)


class WorkCalendar:
    """Working days: the hall's overrides > the county's schedule > the package > the statutory rules."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = (),
                 county: CountyCalendar | None = None) -> None:
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self.county = county if county is not None else CountyCalendar()
        self._holidays, self._workdays, self._years, self._pairs = _package()

    def set_county_years(self, years: CountyYears) -> None:
        """Replace the county's schedules; every calendar sharing this county sees them at once."""
        self.county.replace(years)

    @property
    def source(self) -> str:
        """Name the package and version the statutory schedule comes from."""
        return SOURCE

    @property
    def first_year(self) -> int:
        """Return the first year the package covers."""
        return min(self._years)

    @property
    def last_year(self) -> int:
        """Return the last year the package covers."""
        return max(self._years)

    def year_source(self, year: int) -> str:
        """Name where a year's schedule comes from: "county", the package, or "provisional"."""
        if self.county.get(year) is not None:
            return COUNTY
        return SOURCE if year in self._years else PROVISIONAL

    def covered(self, year: int) -> bool:
        """Tell whether this year's schedule was announced (by the package or the county)."""
        return self.county.get(year) is not None or year in self._years

    def is_provisional(self, day: date) -> bool:
        """Tell whether a day's year is computed from the national rules, not announced."""
        return not self.covered(day.year)

    def is_working(self, day: date) -> bool:
        """Tell whether a day is a working day in this hall."""
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if (county := self.county.get(day.year)) is not None:
            if day in county.workdays:
                return True
            if day in county.holidays:
                return False
        elif day.year in self._years:
            if day in self._workdays:
                return True
            if day in self._holidays:
                return False
        elif day in _provisional(day.year):
            return False
        return day.weekday() < 5

    def name(self, day: date) -> str | None:
        """Name a day that is not an ordinary weekday or weekend: a holiday, 调休, or an override."""
        if day in self.extra_workdays:
            return HALL_WORKDAY
        if day in self.extra_holidays:
            return HALL_HOLIDAY
        if (county := self.county.get(day.year)) is not None:
            return ADJUSTED_WORKDAY if day in county.workdays else county.holidays.get(day)
        if day.year in self._years:
            return self._workdays.get(day) or self._holidays.get(day)
        return _provisional(day.year).get(day)

    def counts_as(self, day: date) -> int | None:
        """Return the weekday (0 = Monday) a working day counts as; None for a day off.

        An adjusted working day (调休上班) counts as the weekday of the day off it pays for; a Saturday the
        hall itself opens counts as a Saturday; a worked weekend day with no pair counts as itself.
        """
        if not self.is_working(day):
            return None
        if day in self.extra_workdays:
            return day.weekday()
        county = self.county.get(day.year)
        return counts_as_weekday(day, county.pairs if county is not None else self._pairs)

    def uncovered(self, years: Iterable[int]) -> list[int]:
        """Return the years among these that nobody has announced (neither the package nor the county)."""
        return sorted({y for y in years if not self.covered(y)})

    def provisional_holidays(self, year: int) -> dict[date, str]:
        """Return the statutory holidays the national rules give a year (used when nobody announced it)."""
        return dict(_provisional(year))


def package_pairs() -> dict[date, date]:
    """Return the package's adjusted working days, each with the day off it pays for."""
    return dict(_package()[3])
