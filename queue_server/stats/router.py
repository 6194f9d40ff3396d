"""Manager statistics: the summary, exports and the live monitor's figures."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from queue_server.app.deps import ManagerDep, RuntimeDep
from queue_server.app.runtime import Runtime
from queue_server.readmodel.monitor import LiveMonitor, live_monitor
from queue_server.stats.exports import build_summary, tickets_csv, tickets_xlsx
from queue_server.stats.models import StatsSummary
from queue_server.stats.ranges import XLSX, DayParam, FromParam, attachment, day_range

router = APIRouter(prefix="/api/stats", tags=["statistics"])

async def _range(rt: Runtime, first: str | None, last: str | None) -> tuple[date, date]:
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
