"""County use cases: adding a hall, and entering a year of the calendar.

Neither is a hall's unit of work: a hall is added to the county, and the calendar is every hall's.
Each runs in one write transaction and tells the county's other server processes on PostgreSQL
(LISTEN/NOTIFY, delivered at commit).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from queue_server.calendar.workcalendar import CountyYear
from queue_server.core.errors import Conflict, Invalid
from queue_server.county.models import CalendarYearBody, CountyCalendarYear, CountyState, HallCreate
from queue_server.db.bus import MessageBus
from queue_server.db.eventlog import HallState
from queue_server.db.uow import UnitOfWork
from queue_server.hallconfig.loader import ConfigError, dump, parse
from queue_server.hallconfig.schema import HallConfig
from queue_server.halls.hall import Hall
from queue_server.realtime.listener import CALENDAR_CHANNEL, HALLS_CHANNEL
from queue_server.windows.service.opening import ensure_windows


def new_config(body: HallCreate, template: HallConfig) -> HallConfig:
    """Return the new hall's configuration: the template's (or the body's own) under its code and name."""
    if body.config is not None:
        try:
            base = parse(json.dumps(body.config, ensure_ascii=False))
        except ConfigError as exc:
            raise Invalid(f"大厅配置不正确：{exc}") from exc
    else:
        base = template
    info = base.hall.model_copy(update={"code": body.code, "name": body.name,
                                        "short_name": body.short_name or body.name})
    data: dict[str, Any] = base.model_dump(mode="json")
    data["hall"] = info.model_dump(mode="json")
    try:
        return parse(json.dumps(data, ensure_ascii=False))
    except ConfigError as exc:
        raise Invalid(f"大厅配置不正确：{exc}") from exc


def add_hall(session: Session, *, config: HallConfig, secret: bytes, bus: MessageBus, now: datetime) -> Hall:
    """Add a hall to the county with its windows and no data; other processes are told at commit."""
    code = config.hall.code
    if session.get(HallState, code) is not None:
        raise Conflict(f"已有代码为 {code} 的大厅")
    session.add(HallState(hall=code, last_seq=0, config_yaml=dump(config), name=config.hall.name,
                          created_at=now, is_default=False))
    session.flush()
    hall = Hall(config, secret)
    ensure_windows(UnitOfWork(session, hall, bus), now)
    notify(session, HALLS_CHANNEL, code)
    return hall


def set_calendar_year(session: Session, *, year: int, body: CalendarYearBody, by: str,
                      now: datetime) -> CountyCalendarYear:
    """Store a year's holidays and adjusted working days, and raise the calendar's version."""
    if not 1901 <= year <= 2999:
        raise Invalid("年份应在 1901 至 2999 之间")
    try:
        holidays = sorted({date.fromisoformat(d) for d in body.holidays})
        workdays = sorted({date.fromisoformat(d) for d in body.workdays})
    except ValueError as exc:
        raise Invalid(f"日期应写成 YYYY-MM-DD：{exc}") from exc
    try:
        CountyYear.of(year, holidays, workdays)  # the same checks every process will make
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    row = session.get(CountyCalendarYear, year) or CountyCalendarYear(year=year, updated_at=now, updated_by=by)
    row.holidays = json.dumps([d.isoformat() for d in holidays])
    row.workdays = json.dumps([d.isoformat() for d in workdays])
    row.updated_at, row.updated_by = now, by
    session.add(row)
    state = session.get(CountyState, 1) or CountyState(id=1, calendar_version=0)
    state.calendar_version += 1
    session.add(state)
    notify(session, CALENDAR_CHANNEL, str(year))
    return row


def notify(session: Session, channel: str, payload: str) -> None:
    """Tell the county's other server processes, when this transaction commits (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:c, :p)"), {"c": channel, "p": payload})
