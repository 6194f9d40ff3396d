"""The hall's working-day calendar: mainland China's statutory schedule plus the hall's overrides."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache

import chinese_calendar

from queue_server.domain.workdays import WeekdayCalendar

SOURCE = f"chinesecalendar {chinese_calendar.__version__}"
ADJUSTED_WORKDAY = "调休上班"
HALL_HOLIDAY = "本中心休息"
HALL_WORKDAY = "本中心上班"


@cache
def _statutory() -> tuple[dict[date, str], dict[date, str], frozenset[int]]:
    """Return the package's holidays and adjusted working days with Chinese names, and its years."""
    chinese = {h.value: h.chinese for h in chinese_calendar.Holiday}
    holidays = {d: chinese.get(name, str(name)) for d, name in chinese_calendar.holidays.items()}
    workdays = {d: ADJUSTED_WORKDAY for d in chinese_calendar.workdays}
    return holidays, workdays, frozenset(d.year for d in holidays)


class WorkCalendar:
    """Working days: the hall's overrides first, then the statutory schedule, else Monday–Friday."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()) -> None:
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self._holidays, self._workdays, self._years = _statutory()
        self._weekdays = WeekdayCalendar()

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

    def covered(self, year: int) -> bool:
        """Tell whether the package knows this year's holidays and adjusted working days."""
        return year in self._years

    def is_working(self, day: date) -> bool:
        """Tell whether a day is a working day in this hall."""
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if day.year in self._years:
            if day in self._workdays:
                return True
            if day in self._holidays:
                return False
        return self._weekdays.is_working(day)

    def name(self, day: date) -> str | None:
        """Name a day that is not an ordinary weekday or weekend: a holiday, 调休, or an override."""
        if day in self.extra_workdays:
            return HALL_WORKDAY
        if day in self.extra_holidays:
            return HALL_HOLIDAY
        return self._workdays.get(day) or self._holidays.get(day)

    def uncovered(self, years: Iterable[int]) -> list[int]:
        """Return the years among these that fall back to Monday–Friday."""
        return sorted({y for y in years if not self.covered(y)})
