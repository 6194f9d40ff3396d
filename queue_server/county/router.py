"""County endpoints: the halls, adding one, the live overview, statistics across halls, the calendar."""

from __future__ import annotations

import json

from fastapi import APIRouter, Path, Request
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from queue_server.app.bootstrap import load_secret
from queue_server.app.deps import CountyAdminDep, CountyDep, CountyManagerDep
from queue_server.app.runtime import Runtime
from queue_server.core.errors import Invalid
from queue_server.county import queries, service
from queue_server.county.models import (
    CalendarYearBody,
    CalendarYearPublic,
    CountyCalendarYear,
    CountyOverview,
    CountyStats,
    HallCreate,
    HallNowPublic,
    HallPublic,
    HallRangePublic,
    OverviewHall,
    StatsHall,
)
from queue_server.county.queries import HallNow, HallRange
from queue_server.db.engine import read_session, write_session
from queue_server.halls.hall import Hall
from queue_server.stats.ranges import DayParam, FromParam, day_range

router = APIRouter(prefix="/api/county", tags=["county"])


def origin(request: Request, county: Runtime) -> str:
    """Return the server's public address without any hall's prefix."""
    if county.settings.public_url:
        return county.settings.public_url.rstrip("/")
    url = request.url
    return f"{url.scheme}://{url.netloc}".replace("ws://", "http://").replace("wss://", "https://")


def hall_url(base: str, code: str) -> str:
    """Return where a hall's pages are: /h/{code} (the default hall's are also at the root)."""
    return f"{base}/h/{code}"


def _halls(county: Runtime) -> list[Hall]:
    ordered = sorted(county.halls.values(), key=lambda h: (h.hall.code != county.default_code, h.hall.code))
    return [h.hall for h in ordered]


@router.get("/halls", response_model=list[HallPublic])
async def list_halls(request: Request, county: CountyDep) -> list[HallPublic]:
    """List the county's halls: the default hall first, then by code (public)."""
    base = origin(request, county)
    return [HallPublic(code=h.code, name=h.config.hall.name,
                       short_name=h.config.hall.short_name or h.config.hall.name,
                       url=hall_url(base, h.code)) for h in _halls(county)]


@router.post("/halls", status_code=201, response_model=HallPublic)
async def add_hall(body: HallCreate, request: Request, county: CountyDep, _: CountyAdminDep) -> HallPublic:
    """Add a hall to the county, served at once by every server process."""
    source = county.halls.get(body.copy_from or county.default_code)
    if source is None:
        raise Invalid(f"没有可复制的大厅：{body.copy_from}")
    config = service.new_config(body, source.hall.config)
    now = county.clock()

    secret = load_secret(county.settings)

    def add() -> None:
        with write_session(county.engine) as session:
            service.add_hall(session, config=config, secret=secret, bus=county.bus, now=now)

    await run_in_threadpool(add)
    served = await county.serve_hall(Hall(config, secret, county.county_calendar))
    info = served.hall.config.hall
    return HallPublic(code=info.code, name=info.name, short_name=info.short_name or info.name,
                      url=hall_url(origin(request, county), info.code))


@router.get("/overview", response_model=CountyOverview)
async def overview(request: Request, county: CountyDep, _: CountyManagerDep) -> CountyOverview:
    """Return every hall's live state and the county's totals (county managers and admins)."""
    halls, now = _halls(county), county.clock()

    def read() -> dict[str, HallNow]:
        with read_session(county.engine) as session:
            return queries.overview(session, halls, now)

    figures = await run_in_threadpool(read)
    base = origin(request, county)
    totals = HallNow()
    lines = []
    for hall in halls:
        totals.add(figures[hall.code])
        lines.append(OverviewHall(code=hall.code, name=hall.config.hall.name,
                                  manage_url=hall_url(base, hall.code) + "/manage",
                                  **figures[hall.code].public()))
    default = county.default.hall
    return CountyOverview(at=default.local_iso(now) or "", halls=lines, totals=HallNowPublic(**totals.public()))


@router.get("/stats", response_model=CountyStats, response_model_by_alias=True)
async def stats(county: CountyDep, _: CountyManagerDep, from_: FromParam = None, to: DayParam = None) -> CountyStats:
    """Return every hall's figures over a range of service days, and the county's totals."""
    halls = _halls(county)
    first, last = day_range(from_, to, county.default.hall.day(county.clock()))

    def read() -> dict[str, HallRange]:
        with read_session(county.engine) as session:
            return queries.county_stats(session, halls, first, last)

    figures = await run_in_threadpool(read)
    totals = HallRange()
    lines = []
    for hall in halls:
        totals.add(figures[hall.code])
        lines.append(StatsHall(code=hall.code, name=hall.config.hall.name, **figures[hall.code].public()))
    return CountyStats.model_validate({"from": first.isoformat(), "to": last.isoformat(), "halls": lines,
                                       "totals": HallRangePublic(**totals.public())})


@router.get("/calendar", response_model=list[CalendarYearPublic])
async def calendar_years(county: CountyDep, _: CountyManagerDep) -> list[CalendarYearPublic]:
    """List the years the county has entered."""
    def read() -> list[CalendarYearPublic]:
        with read_session(county.engine) as session:
            rows = session.exec(select(CountyCalendarYear).order_by(col(CountyCalendarYear.year))).all()
            return [_year_public(county, r) for r in rows]

    return await run_in_threadpool(read)


def _year_public(county: Runtime, row: CountyCalendarYear) -> CalendarYearPublic:
    return CalendarYearPublic(year=row.year, holidays=json.loads(row.holidays), workdays=json.loads(row.workdays),
                              updated_at=county.default.hall.local_iso(row.updated_at) or "",
                              updated_by=row.updated_by)


@router.put("/calendar/{year}", response_model=CalendarYearPublic)
async def put_calendar_year(body: CalendarYearBody, county: CountyDep, who: CountyAdminDep,
                            year: int = Path(ge=1901, le=2999)) -> CalendarYearPublic:
    """Enter a year's holidays and adjusted working days; every hall uses them from this answer on."""
    now = county.clock()

    def put() -> CalendarYearPublic:
        with write_session(county.engine) as session:
            row = service.set_calendar_year(session, year=year, body=body, by=who.actor, now=now)
            session.flush()
            return _year_public(county, row)

    answer = await run_in_threadpool(put)
    await county.reload_calendar()
    return answer
