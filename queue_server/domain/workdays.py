"""Working-day arithmetic for case due dates; the calendar is passed in, nothing is read here."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta
from typing import Protocol

# No promise, suspension or range in a hall spans ten years; a bound keeps a bad calendar finite.
MAX_SCAN_DAYS = 3660
ONE_DAY = timedelta(days=1)


class WorkingCalendar(Protocol):
    """Tell which days are working days, and which years the statutory source covers."""

    def is_working(self, day: date) -> bool:
        """Tell whether a day is a working day."""
        ...

    def covered(self, year: int) -> bool:
        """Tell whether the statutory source knows this year's holidays."""
        ...


class WeekdayCalendar:
    """Monday to Friday, no holidays: the fallback for years nobody has announced yet."""

    def is_working(self, day: date) -> bool:
        """Tell whether a day is Monday to Friday."""
        return day.weekday() < 5

    def covered(self, year: int) -> bool:
        """Cover no year: this calendar knows no holidays."""
        return False


def add_working_days(start: date, n: int, cal: WorkingCalendar) -> date:
    """Return the n-th working day after start (start itself when n is 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, left = start, n
    for _ in range(MAX_SCAN_DAYS):
        if left == 0:
            return day
        day += ONE_DAY
        if cal.is_working(day):
            left -= 1
    raise ValueError("no working day within ten years")


def working_days_between(after: date, upto: date, cal: WorkingCalendar) -> int:
    """Count the working days d with after < d <= upto (0 when upto is not after ``after``)."""
    if upto <= after:
        return 0
    if (upto - after).days > MAX_SCAN_DAYS:
        raise ValueError("range longer than ten years")
    count, day = 0, after
    while day < upto:
        day += ONE_DAY
        count += cal.is_working(day)
    return count


def due_date(accepted_on: date, promised_days: int, suspended_days: int, cal: WorkingCalendar) -> date:
    """Return the promised_days-th working day after acceptance, moved by the days suspended."""
    return add_working_days(accepted_on, promised_days + suspended_days, cal)


def suspended_working_days(suspended_on: date, resumed_on: date, cal: WorkingCalendar) -> int:
    """Count the working days a suspension stopped the clock: after its first day, up to resuming."""
    return working_days_between(suspended_on, resumed_on, cal)


def running_due(due: date, suspended_on: date | None, today: date, cal: WorkingCalendar) -> date:
    """Return a due date as of today, moved on by a suspension that is still running."""
    if suspended_on is None:
        return due
    return add_working_days(due, suspended_working_days(suspended_on, today, cal), cal)


def on_time(completed_on: date, due: date) -> bool:
    """Tell whether a completion on this day met the due date."""
    return completed_on <= due


class WorkdayIndex:
    """Count working days between any two dates of a span in constant time (for statistics)."""

    def __init__(self, first: date, last: date, cal: WorkingCalendar) -> None:
        if (last - first).days > 4 * MAX_SCAN_DAYS:
            raise ValueError("span too long")
        self.first, self.last = first, last
        self._cum: list[int] = []
        total, day = 0, first
        while day <= last:
            total += cal.is_working(day)
            self._cum.append(total)
            day += ONE_DAY
        self._cal = cal

    def _upto(self, day: date) -> int:
        if day < self.first:
            return -working_days_between(day, self.first - ONE_DAY, self._cal)
        if day > self.last:
            return self._cum[-1] + working_days_between(self.last, day, self._cal)
        return self._cum[(day - self.first).days]

    def between(self, after: date, upto: date) -> int:
        """Count working days d with after < d <= upto, like working_days_between."""
        return 0 if upto <= after else self._upto(upto) - self._upto(after)

    def add(self, start: date, n: int) -> date:
        """Return the n-th working day after start, like add_working_days."""
        if n == 0 or not self.first <= start <= self.last:
            return add_working_days(start, n, self._cal)
        target = self._cum[(start - self.first).days] + n
        i = bisect_left(self._cum, target)
        if i >= len(self._cum):
            return add_working_days(start, n, self._cal)
        return self.first + timedelta(days=i)

    def running_due(self, due: date, suspended_on: date, today: date) -> date:
        """Return a suspended case's due date as of today, like running_due."""
        return self.add(due, self.between(suspended_on, today))
