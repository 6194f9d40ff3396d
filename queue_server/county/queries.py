"""Reading the county: its halls and its calendar."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session, col, select

from queue_server.county.models import CountyCalendarYear, CountyState
from queue_server.db.eventlog import HallState

CalendarYears = dict[int, tuple[list[date], list[date]]]


def calendar_version(session: Session) -> int:
    """Return the county calendar's version, raised with every change."""
    state = session.get(CountyState, 1)
    return state.calendar_version if state is not None else 0


def calendar_years(session: Session) -> tuple[int, CalendarYears]:
    """Return the calendar's version and every year the county has entered."""
    rows = session.exec(select(CountyCalendarYear).order_by(col(CountyCalendarYear.year))).all()
    years = {r.year: ([date.fromisoformat(d) for d in json.loads(r.holidays)],
                      [date.fromisoformat(d) for d in json.loads(r.workdays)]) for r in rows}
    return calendar_version(session), years


def hall_rows(session: Session) -> list[HallState]:
    """Return every hall of the county, the default first, then by code."""
    rows = session.exec(select(HallState).order_by(col(HallState.hall))).all()
    return sorted(rows, key=lambda r: (not r.is_default, r.hall))
