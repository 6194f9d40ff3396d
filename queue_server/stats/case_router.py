"""Case statistics for managers: the figures, and one row per case as CSV or Excel."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from fastapi.responses import Response

from queue_server.app.deps import ManagerDep, RuntimeDep
from queue_server.app.runtime import Runtime
from queue_server.stats.case_models import CaseStats
from queue_server.stats.queries.cases import case_stats, cases_csv, cases_xlsx
from queue_server.stats.ranges import XLSX, DayParam, FromParam, attachment, day_range

router = APIRouter(prefix="/api/stats", tags=["statistics"])



def _range(rt: Runtime, first: str | None, last: str | None) -> tuple[date, date]:
    return day_range(first, last, rt.hall.local_date(rt.clock()))


@router.get("/cases", response_model=CaseStats, response_model_by_alias=True)
async def stats_cases(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                      to: DayParam = None) -> CaseStats:
    """Return matters accepted and completed, and the on-time rate, over a range of days."""
    first, last = _range(rt, from_, to)
    now = rt.clock()
    data = await rt.db.read(lambda s: case_stats(s, rt.hall, first, last, now))
    return CaseStats.model_validate(data)


@router.get("/cases.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def stats_cases_csv(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                          to: DayParam = None) -> Response:
    """Export one row per case accepted in the range, personal data masked, as CSV with a BOM."""
    first, last = _range(rt, from_, to)
    now = rt.clock()
    body = await rt.db.read(lambda s: cases_csv(s, rt.hall, first, last, now))
    return attachment(body, "text/csv; charset=utf-8", "cases", first, last, "csv")


@router.get("/cases.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
async def stats_cases_xlsx(rt: RuntimeDep, _: ManagerDep, from_: FromParam = None,
                           to: DayParam = None) -> Response:
    """Export the case figures and one row per case, personal data masked, as an Excel workbook."""
    first, last = _range(rt, from_, to)
    now = rt.clock()
    body = await rt.db.read(lambda s: cases_xlsx(s, rt.hall, first, last, now))
    return attachment(body, XLSX, "cases", first, last, "xlsx")
