"""What the calendar endpoints answer."""

from __future__ import annotations

from pydantic import BaseModel


class CalendarDay(BaseModel):
    date: str
    working: bool
    name: str | None = None
    provisional: bool | None = None  # true for a year nobody announced: computed from the national rules


class CalendarYear(BaseModel):
    """Where one year's schedule comes from: the package, the county, or the national rules."""

    year: int
    source: str  # "chinesecalendar 1.11.0" | "county" | "provisional"


class CalendarCoverage(BaseModel):
    """Where the statutory schedule comes from, and which years nobody has announced yet."""

    source: str
    first_year: int
    last_year: int
    uncovered: list[int]  # of this year and the next: /manage warns about these
    extra_holidays: list[str]
    extra_workdays: list[str]
    years: list[CalendarYear]  # this year and the next
