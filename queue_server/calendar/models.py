"""What the calendar endpoints answer."""

from __future__ import annotations

from pydantic import BaseModel


class CalendarDay(BaseModel):
    date: str
    working: bool
    name: str | None = None


class CalendarCoverage(BaseModel):
    """Where the statutory schedule comes from, and which years fall back to Monday–Friday."""

    source: str
    first_year: int
    last_year: int
    uncovered: list[int]  # of this year and the next: /manage warns about these
    extra_holidays: list[str]
    extra_workdays: list[str]
