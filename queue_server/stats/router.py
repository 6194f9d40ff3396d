"""Manager statistics: tickets, cases, feedback and appointments, their exports, and the live monitor."""

from __future__ import annotations

import calendar
import math
import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from queue_server.app.deps import ManagerDep, RuntimeDep, fresh_calendar
from queue_server.app.runtime import HallRuntime
from queue_server.core.errors import Invalid
from queue_server.readmodel.monitor import LiveMonitor, live_monitor
from queue_server.stats.exports import build_summary, tickets_csv, tickets_xlsx
from queue_server.stats.models import (
    AppointmentStats,
    CaseStats,
    FeedbackStats,
    MonthlyReport,
    StaffingAdvice,
    StatsSummary,
)
from queue_server.stats.queries.appointments import appointment_stats
from queue_server.stats.queries.cases import case_stats, cases_csv, cases_xlsx
from queue_server.stats.queries.feedback import feedback_stats, ranking
from queue_server.stats.queries.staffing import staffing
from queue_server.stats.ranges import XLSX, DayParam, FromParam, attachment, day_range

router = APIRouter(prefix="/api/stats", tags=["statistics"], dependencies=[Depends(fresh_calendar)])

async def _range(rt: HallRuntime, first: str | None, last: str | None) -> tuple[date, date]:
    days = day_range(first, last, rt.hall.day(rt.clock()))
    await run_in_threadpool(rt.estimator.flush)  # first estimates are recorded in batches
    return days


@router.get("/summary", response_model=StatsSummary, response_model_by_alias=True)
async def summary(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                  to: DayParam = None) -> StatsSummary:
    """Return the hall's KPIs over a range of service days (both inclusive)."""
    first, last = await _range(rt, from_, to)
    data = await rt.db.read(lambda s: build_summary(s, rt.hall, first, last))
    return StatsSummary.model_validate(data)


@router.get("/export.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
async def export_csv(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                     to: DayParam = None) -> Response:
    """Export one row per ticket as UTF-8 CSV with a BOM, so Excel opens it."""
    first, last = await _range(rt, from_, to)
    body = await rt.db.read(lambda s: tickets_csv(s, rt.hall, first, last))
    return attachment(body, "text/csv; charset=utf-8", "tickets", first, last, "csv")


@router.get("/export.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
async def export_xlsx(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                      to: DayParam = None) -> Response:
    """Export the KPIs, the breakdowns and one row per ticket as an Excel workbook."""
    first, last = await _range(rt, from_, to)
    body = await rt.db.read(lambda s: tickets_xlsx(s, rt.hall, first, last))
    return attachment(body, XLSX, "tickets", first, last, "xlsx")


@router.get("/live", response_model=LiveMonitor)
async def live(rt: RuntimeDep, _: ManagerDep) -> LiveMonitor:
    """Return the live monitor: every window, every category and the current alerts."""
    est = await rt.estimator.current()
    now = rt.clock()
    return await rt.db.read(lambda s: live_monitor(s, rt.hall, now, est.services))


def _local_range(rt: HallRuntime, first: str | None, last: str | None) -> tuple[date, date]:
    return day_range(first, last, rt.hall.local_date(rt.clock()))


@router.get("/cases", response_model=CaseStats, response_model_by_alias=True)
async def stats_cases(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                      to: DayParam = None) -> CaseStats:
    """Return matters accepted and completed, and the on-time rate, over a range of days."""
    first, last = _local_range(rt, from_, to)
    now = rt.clock()
    data = await rt.db.read(lambda s: case_stats(s, rt.hall, first, last, now))
    return CaseStats.model_validate(data)


@router.get("/cases.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def stats_cases_csv(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                          to: DayParam = None) -> Response:
    """Export one row per case accepted in the range, personal data masked, as CSV with a BOM."""
    first, last = _local_range(rt, from_, to)
    now = rt.clock()
    body = await rt.db.read(lambda s: cases_csv(s, rt.hall, first, last, now))
    return attachment(body, "text/csv; charset=utf-8", "cases", first, last, "csv")


@router.get("/cases.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
async def stats_cases_xlsx(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                           to: DayParam = None) -> Response:
    """Export the case figures and one row per case, personal data masked, as an Excel workbook."""
    first, last = _local_range(rt, from_, to)
    now = rt.clock()
    body = await rt.db.read(lambda s: cases_xlsx(s, rt.hall, first, last, now))
    return attachment(body, XLSX, "cases", first, last, "xlsx")


@router.get("/feedback", response_model=FeedbackStats)
async def stats_feedback(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                         to: DayParam = None) -> FeedbackStats:
    """Return the feedback loop's figures over a range of days (both inclusive)."""
    first, last = day_range(from_, to, rt.hall.day(rt.clock()))
    today = rt.hall.local_date(rt.clock())
    return await rt.db.read(lambda s: feedback_stats(s, rt.hall, first, last, today))


@router.get("/feedback/monthly", response_model=MonthlyReport)
async def stats_feedback_monthly(rt: RuntimeDep, _: ManagerDep,
                                 month: Annotated[str | None, Query(description="YYYY-MM")] = None
                                 ) -> MonthlyReport:
    """Return a month's feedback figures and the window ranking (月度排名通报)."""
    today = rt.hall.local_date(rt.clock())
    month = month or f"{today:%Y-%m}"
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise Invalid("月份格式应为 YYYY-MM")
    year, mon = int(month[:4]), int(month[5:])
    first = date(year, mon, 1)
    last = date(year, mon, calendar.monthrange(year, mon)[1])

    def run(session: Session) -> MonthlyReport:
        return MonthlyReport(month=month, first=first.isoformat(), last=last.isoformat(),
                             feedback=feedback_stats(session, rt.hall, first, last, today),
                             ranking=ranking(session, rt.hall, first, last, today))

    return await rt.db.read(run)


@router.get("/appointments", response_model=AppointmentStats)
async def stats_appointments(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                             to: DayParam = None) -> AppointmentStats:
    """Count bookings for slots in the range: booked, used, missed, cancelled and the no-show rate."""
    first, last = _local_range(rt, from_, to)
    return await rt.db.read(lambda s: appointment_stats(s, rt.hall, first, last))


MAX_WEEKS = 52  # a year of one weekday; more reads years of tickets for a forecast no better


def _check_staffing(weekday: int, weeks: int, target_wait: float, target_pct: float) -> None:
    if not 1 <= weekday <= 7:
        raise Invalid("星期 weekday 须为 1–7（1 为周一，7 为周日）")
    if not 1 <= weeks <= MAX_WEEKS:
        raise Invalid(f"周数 weeks 须为 1–{MAX_WEEKS}")
    if not math.isfinite(target_wait) or target_wait < 0:
        raise Invalid("目标等候时间 target_wait 须为不小于 0 的秒数")
    if not math.isfinite(target_pct) or not 0 <= target_pct <= 100:
        raise Invalid("目标比例 target_pct 须在 0–100 之间（可以有小数，如 99.5）")


@router.get("/staffing", response_model=StaffingAdvice, dependencies=[Depends(fresh_calendar)])
async def stats_staffing(
    rt: RuntimeDep, _: ManagerDep,
    weekday: Annotated[int | None, Query(description="1 = 周一 … 7 = 周日; default: today's")] = None,
    weeks: Annotated[int, Query(description=f"how many past days of that weekday, 1–{MAX_WEEKS}")] = 8,
    target_wait: Annotated[float, Query(description="seconds a resident may wait, ≥ 0")] = 600,
    target_pct: Annotated[float, Query(description="share of residents called within target_wait, 0–100 %")] = 80,
) -> StaffingAdvice:
    """Return the windows each half-hour of a weekday needs, by Erlang C, against the windows open (窗口排班建议)."""
    now = rt.clock()
    today = rt.hall.day(now)
    if weekday is None:
        counts_as = rt.hall.calendar.counts_as(today)  # an adjusted working Saturday asks for the weekday it replaces
        weekday = (today.weekday() if counts_as is None else counts_as) + 1
    _check_staffing(weekday, weeks, target_wait, target_pct)
    day = weekday

    def run(session: Session) -> StaffingAdvice:
        try:
            data = staffing(session, rt.hall, today=today, weekday=day, weeks=weeks, target_wait=target_wait,
                            target_pct=target_pct, now=now)
        except ValueError as exc:
            raise Invalid(str(exc)) from exc
        return StaffingAdvice.model_validate(data)

    return await rt.db.read(run)
