"""The working-day calendar: public, so the resident's pages can count working days too."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from queue_server.app.deps import RuntimeDep, fresh_calendar
from queue_server.calendar.models import CalendarCoverage, CalendarDay, CalendarYear
from queue_server.core.errors import Invalid

router = APIRouter(prefix="/api/calendar", tags=["calendar"], dependencies=[Depends(fresh_calendar)])
MAX_DAYS = 400
DAY = r"^\d{4}-\d{2}-\d{2}$"
UNCOVERED_HEADER = "X-Calendar-Uncovered"


@router.get("", response_model=list[CalendarDay], response_model_exclude_none=True)
async def calendar(rt: RuntimeDep, response: Response,
                   from_: Annotated[str, Query(alias="from", pattern=DAY)],
                   to: Annotated[str | None, Query(pattern=DAY)] = None) -> list[CalendarDay]:
    """List working days and named days from..to (both inclusive, at most 400 days)."""
    try:
        first = date.fromisoformat(from_)
        last = date.fromisoformat(to) if to else first
    except ValueError as exc:
        raise Invalid(f"日期不正确：{exc}") from exc
    if last < first:
        raise Invalid("开始日期不能晚于结束日期")
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise Invalid(f"一次最多查询 {MAX_DAYS} 天")
    cal = rt.hall.calendar
    uncovered = cal.uncovered(range(first.year, last.year + 1))
    if uncovered:  # those years are provisional: the national rules' holidays, no 调休
        response.headers[UNCOVERED_HEADER] = ",".join(str(y) for y in uncovered)
    out = []
    for i in range(days):
        day = first + timedelta(days=i)
        out.append(CalendarDay(date=day.isoformat(), working=cal.is_working(day), name=cal.name(day),
                               provisional=True if cal.is_provisional(day) else None))
    return out


@router.get("/coverage", response_model=CalendarCoverage)
async def coverage(rt: RuntimeDep) -> CalendarCoverage:
    """Tell where this year's and next year's schedules come from, so /manage can warn before a year starts."""
    cal, year = rt.hall.calendar, rt.hall.local_date(rt.clock()).year
    return CalendarCoverage(source=cal.source, first_year=cal.first_year, last_year=cal.last_year,
                            uncovered=cal.uncovered([year, year + 1]),
                            extra_holidays=sorted(d.isoformat() for d in cal.extra_holidays),
                            extra_workdays=sorted(d.isoformat() for d in cal.extra_workdays),
                            years=[CalendarYear(year=y, source=cal.year_source(y)) for y in (year, year + 1)])
