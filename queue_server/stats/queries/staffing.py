"""Staffing advice: read a weekday's tickets and window stretches, and hand them to the pure forecast.

The figures are domain/staffing.py's; this module only reads what they need for the days
`days_to_read` names (from the hall's first day of data on) and names the pools (docs/staffing.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Integer, cast, extract, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from queue_server.domain.holidays import days_to_read, pick_days
from queue_server.domain.staffing import (
    Interval,
    Slot,
    TicketFact,
    advice,
    forecast,
    half_hours,
    observe_day,
    pools_of,
    report,
)
from queue_server.domain.staffing import Session as Stretch
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Ticket
from queue_server.windows.sessions import WindowSession

WINDOW = "窗口"
EPOCH = datetime(1970, 1, 1)  # naive: the pure core compares wall-clock times
NOON = time(12)


def _utc(hall: Hall, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=hall.tz).astimezone(UTC)


def _local(hall: Hall, at: datetime) -> datetime:
    """Return an instant as the hall's naive wall-clock time, which the pure core compares."""
    return at.astimezone(hall.tz).replace(tzinfo=None)


def first_day(session: Session, hall: Hall) -> date | None:
    """Return the hall's first service day with a ticket or an open window, if any."""
    ticket = session.execute(sa_select(func.min(col(Ticket.day))).where(col(Ticket.hall) == hall.code)).scalar()
    opened = session.execute(sa_select(func.min(col(WindowSession.opened_at)))
                             .where(col(WindowSession.hall) == hall.code)).scalar()
    days = [d for d in (ticket, hall.day(opened) if opened else None) if d is not None]
    return min(days) if days else None


def _epoch_second(session: Session, column: Any) -> Any:
    """Return an SQL expression for an instant's whole second since 1970 (UTC), cut down, never rounded up."""
    if session.get_bind().dialect.name == "postgresql":
        return func.floor(extract("epoch", column))
    return cast(func.strftime("%s", column), Integer)  # SQLite keeps UTC instants as text


def _tickets(session: Session, hall: Hall, days: Sequence[date]) -> dict[date, list[TicketFact]]:
    """Return each day's tickets with their instants as the hall's wall-clock time, to the second.

    The instants are read as whole seconds, not datetimes: 1,500 tickets a day over 16 days spent most
    of the route's time turning three columns into aware datetimes and back into local ones. Cutting to
    the second moves no instant across an interval's bound (bounds are whole minutes), and one offset
    per day is exact unless the clocks change during opening hours (they change at night).
    """
    out: dict[date, list[TicketFact]] = {d: [] for d in days}
    offset = {d: int((hall.tz.utcoffset(datetime.combine(d, NOON)) or timedelta()).total_seconds()) for d in days}
    stmt = (sa_select(col(Ticket.day), col(Ticket.service), _epoch_second(session, col(Ticket.issued_at)),
                      _epoch_second(session, col(Ticket.finished_at)), col(Ticket.service_seconds))
            .where(col(Ticket.hall) == hall.code, col(Ticket.day).in_(days)))
    for day, service, issued, finished, seconds in session.connection().execute(stmt):  # Core rows: no ORM loading
        off = offset[day]
        out[day].append(TicketFact(service, EPOCH + timedelta(seconds=int(issued) + off),
                                   None if finished is None else EPOCH + timedelta(seconds=int(finished) + off),
                                   seconds))
    return out


def _stretches(session: Session, hall: Hall, days: Sequence[date], intervals: Sequence[Interval],
               now: datetime) -> dict[date, list[Stretch]]:
    """Return, per day, the stretches windows were open that overlap its opening hours."""
    spans = {d: (_utc(hall, d, intervals[0].start), _utc(hall, d, intervals[-1].end)) for d in days}
    lo, hi = min(s for s, _ in spans.values()), max(e for _, e in spans.values())
    stmt = (sa_select(col(WindowSession.window), col(WindowSession.opened_at), col(WindowSession.closed_at))
            .where(col(WindowSession.hall) == hall.code, col(WindowSession.opened_at) < hi,
                   or_(col(WindowSession.closed_at).is_(None), col(WindowSession.closed_at) > lo)))
    rows = [(w, start, end or max(now, start)) for w, start, end in session.execute(stmt)]  # still open: until now
    return {d: [Stretch(w, _local(hall, start), _local(hall, end)) for w, start, end in rows
                if start < span_end and end > span_start]
            for d, (span_start, span_end) in spans.items()}


def observations(session: Session, hall: Hall, *, today: date, weekday: int, weeks: int,
                 intervals: Sequence[Interval], now: datetime) -> dict[date, list[Slot]]:
    """Return every day the answer and its backtest read, from the hall's first day of data on, as slots."""
    first = first_day(session, hall)
    days = [d for d in days_to_read(today, weekday, weeks, hall.calendar) if first is not None and d >= first]
    if not days or not intervals:
        return {d: [] for d in days}
    tickets = _tickets(session, hall, days)
    stretches = _stretches(session, hall, days, intervals, now)
    return {d: observe_day(d, intervals, tickets[d], stretches[d]) for d in days}


def issued_by_service(days: Sequence[Sequence[Slot]]) -> dict[str, int]:
    """Count the tickets issued on these days, by service."""
    counts: dict[str, int] = {}
    for day in days:
        for slot in day:
            for service, n in slot.issued.items():
                counts[service] = counts.get(service, 0) + n
    return counts


def seed_seconds(hall: Hall, counts: Mapping[str, int], shares: Mapping[str, float] | None = None) -> float:
    """Return the configured handling times averaged over the tickets issued (each service by its share).

    It stands in for the service time only where no ticket finished on any of the days; with no ticket
    at all it is the plain mean over the services concerned.
    """
    def share(service: str) -> float:
        return 1.0 if shares is None else shares.get(service, 0.0)

    total = sum(n * share(s) for s, n in counts.items())
    if total:
        return sum(hall.mean_seconds(s) * n * share(s) for s, n in counts.items()) / total
    services = [s for s in hall.services if share(s) > 0]
    return sum(hall.mean_seconds(s) for s in services) / len(services) if services else hall.mean_seconds("")


def pool_name(hall: Hall, windows: Sequence[int]) -> str:
    """Return the name the pool's windows share (社保医保窗口), or "" when their names differ."""
    names = {hall.window_name(n) for n in windows}
    return names.pop() if len(names) == 1 else ""


def staffing(session: Session, hall: Hall, *, today: date, weekday: int, weeks: int, target_wait: float,
             target_pct: float, now: datetime) -> dict[str, Any]:
    """Build GET /api/stats/staffing's answer; ValueError (a Chinese message) where the targets cannot be met."""
    intervals = half_hours(hall.config.settings.opening_hours)
    observed = observations(session, hall, today=today, weekday=weekday, weeks=weeks, intervals=intervals, now=now)
    chosen = [d for d in pick_days(today, weekday, weeks, hall.calendar) if d in observed]
    used = [observed[d] for d in chosen]
    counts = issued_by_service(used)
    answer = report(today=today, weekday=weekday, weeks=weeks, target_wait=target_wait, target_pct=target_pct,
                    intervals=intervals, observed=observed, cal=hall.calendar,
                    default_service=seed_seconds(hall, counts))
    pools = []
    for pool in pools_of(hall.profiles.values(), hall.services):
        rows = forecast(used, intervals, target_wait=target_wait, target_pct=target_pct,
                        default_service=seed_seconds(hall, counts, pool.shares), weights=pool.shares,
                        windows=pool.windows)
        name = pool_name(hall, pool.windows)
        pools.append({"windows": list(pool.windows), "name": name, "shares": dict(pool.shares),
                      "intervals": [r.__dict__ for r in rows],
                      "advice": advice(weekday, weeks, rows, who=name.replace(WINDOW, ""))})
    return {**answer, "days": [d.isoformat() for d in chosen], "pools": pools}
