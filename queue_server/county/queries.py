"""Reading the county: its halls, their live state and their figures side by side, and its calendar.

Every figure is read for all halls at once, grouped by hall in SQL over the (hall, day) indexes,
so thirty halls cost about what one does. The definitions are the single hall's (docs/statistics.md);
in the totals a count is summed and a percentage is recomputed from the summed counts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, case, func, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from queue_server.auth.models import Device
from queue_server.cases.models import Case
from queue_server.county.models import CountyCalendarYear, CountyState
from queue_server.db.eventlog import HallState
from queue_server.domain.alerts import device_alerts
from queue_server.domain.model import (
    OPEN_CASE_STATUSES,
    CaseChannel,
    FeedbackStatus,
    TicketStatus,
    WindowStatus,
)
from queue_server.domain.statistics import SATISFIED_GRADE, ratio_pct, rounded
from queue_server.domain.workdays import running_due
from queue_server.feedback.models import FeedbackItem
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Evaluation, Ticket
from queue_server.windows.models import WindowState

CalendarYears = dict[int, tuple[list[date], list[date]]]
DEVICE_STALE = timedelta(minutes=10)  # as the hall's live monitor counts a device gone quiet


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


def _word(column: Any) -> Any:
    return type_coerce(col(column), String)


def _count_by_hall(session: Session, statement: Any) -> dict[str, int]:
    return {str(h): int(n) for h, n in session.execute(statement).all()}


@dataclass
class Ratio:
    """A share counted from its parts, so totals add the parts and divide once."""

    part: int = 0
    whole: int = 0

    def add(self, other: Ratio) -> None:
        """Add another hall's parts."""
        self.part += other.part
        self.whole += other.whole

    @property
    def pct(self) -> float | None:
        """Return the share in percent (None over nothing)."""
        return rounded(ratio_pct(self.part, self.whole))


@dataclass
class HallNow:
    """One hall's live figures."""

    waiting: int = 0
    open_windows: int = 0
    served_today: int = 0
    sla_today: Ratio = field(default_factory=Ratio)
    cases_open: int = 0
    cases_overdue: int = 0
    on_time_30d: Ratio = field(default_factory=Ratio)
    satisfied_30d: Ratio = field(default_factory=Ratio)
    feedback_overdue: int = 0
    devices_down: int = 0

    def add(self, other: HallNow) -> None:
        """Add another hall's figures (the totals)."""
        for name in ("waiting", "open_windows", "served_today", "cases_open", "cases_overdue",
                     "feedback_overdue", "devices_down"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("sla_today", "on_time_30d", "satisfied_30d"):
            getattr(self, name).add(getattr(other, name))

    def public(self) -> dict[str, Any]:
        """Return the API's fields."""
        return {"waiting": self.waiting, "open_windows": self.open_windows,
                "served_today": self.served_today, "sla_pct_today": self.sla_today.pct,
                "cases_open": self.cases_open, "cases_overdue": self.cases_overdue,
                "cases_on_time_pct_30d": self.on_time_30d.pct,
                "satisfaction_pct_30d": self.satisfied_30d.pct,
                "feedback_overdue": self.feedback_overdue, "devices_down": self.devices_down}


def overview(session: Session, halls: Sequence[Hall], now: datetime) -> dict[str, HallNow]:
    """Return every hall's live figures: queues, windows, today's service level, cases, grades, devices."""
    codes = [h.code for h in halls]
    out = {h.code: HallNow() for h in halls}
    today = {h.code: h.day(now) for h in halls}
    local = {h.code: h.local_date(now) for h in halls}
    in_halls = col(Ticket.hall).in_(codes)
    for code, n in _count_by_hall(session, sa_select(col(Ticket.hall), func.count()).where(
            in_halls, _word(Ticket.status) == TicketStatus.WAITING.value).group_by(col(Ticket.hall))).items():
        out[code].waiting = n
    for code, n in _count_by_hall(session, sa_select(col(WindowState.hall), func.count()).where(
            col(WindowState.hall).in_(codes), _word(WindowState.status) == WindowStatus.OPEN.value)
            .group_by(col(WindowState.hall))).items():
        out[code].open_windows = n
    # Today's tickets: served, and the service level of those called (each hall's own threshold).
    days = sorted(set(today.values()))
    for code, day, status, wait in session.execute(sa_select(
            col(Ticket.hall), col(Ticket.day), _word(Ticket.status), col(Ticket.wait_seconds)).where(
            in_halls, col(Ticket.day).in_(days),
            (_word(Ticket.status) == TicketStatus.DONE.value) | col(Ticket.wait_seconds).is_not(None))).all():
        if day != today[code]:
            continue
        figures = out[code]
        figures.served_today += status == TicketStatus.DONE.value
        if wait is not None:
            figures.sla_today.whole += 1
            figures.sla_today.part += float(wait) <= _sla(halls, code)
    _cases_now(session, halls, local, out)
    _thirty_days(session, halls, today, local, out)
    for code, due, n in session.execute(sa_select(col(FeedbackItem.hall), col(FeedbackItem.due_date), func.count())
                                        .where(col(FeedbackItem.hall).in_(codes),
                                               _word(FeedbackItem.status) != FeedbackStatus.CLOSED.value)
                                        .group_by(col(FeedbackItem.hall), col(FeedbackItem.due_date))).all():
        if due < local[code]:
            out[code].feedback_overdue += int(n)
    devices: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in session.exec(select(Device).where(col(Device.hall).in_(codes), col(Device.revoked).is_(False))).all():
        devices[d.hall].append({"name": d.name, "kind": d.kind, "window": d.window, "status": d.status,
                                "last_seen": d.last_seen})
    for code, rows in devices.items():
        out[code].devices_down = sum(a["level"] == "error" for a in device_alerts(rows, now, DEVICE_STALE))
    return out


def _sla(halls: Sequence[Hall], code: str) -> float:
    return next(float(h.config.settings.sla_seconds) for h in halls if h.code == code)


def _cases_now(session: Session, halls: Sequence[Hall], local: dict[str, date],
               out: dict[str, HallNow]) -> None:
    by_code = {h.code: h for h in halls}
    for code, status, due, suspended_on in session.execute(sa_select(
            col(Case.hall), _word(Case.status), col(Case.due_date), col(Case.suspended_on)).where(
            col(Case.hall).in_(list(by_code)), _word(Case.status).in_([s.value for s in OPEN_CASE_STATUSES]))).all():
        figures = out[code]
        figures.cases_open += 1
        since = suspended_on if status == "suspended" else None
        if running_due(due, since, local[code], by_code[code].calendar) < local[code]:
            figures.cases_overdue += 1


def _thirty_days(session: Session, halls: Sequence[Hall], today: dict[str, date], local: dict[str, date],
                 out: dict[str, HallNow]) -> None:
    codes = [h.code for h in halls]
    first = min(local.values(), default=date.max) - timedelta(days=29)
    for code, day, on_time, n in session.execute(sa_select(
            col(Case.hall), col(Case.completed_on), col(Case.on_time), func.count()).where(
            col(Case.hall).in_(codes), col(Case.completed_on) >= first)
            .group_by(col(Case.hall), col(Case.completed_on), col(Case.on_time))).all():
        if local[code] - timedelta(days=29) <= day <= local[code]:
            out[code].on_time_30d.whole += int(n)
            out[code].on_time_30d.part += int(n) if on_time else 0
    first_day = min(today.values(), default=date.max) - timedelta(days=29)
    for code, day, grade, n in session.execute(sa_select(
            col(Ticket.hall), col(Ticket.day), col(Evaluation.grade), func.count())
            .join(Ticket, col(Ticket.id) == col(Evaluation.ticket_id)).where(
            col(Ticket.hall).in_(codes), col(Ticket.day) >= first_day)
            .group_by(col(Ticket.hall), col(Ticket.day), col(Evaluation.grade))).all():
        if today[code] - timedelta(days=29) <= day <= today[code]:
            out[code].satisfied_30d.whole += int(n)
            out[code].satisfied_30d.part += int(n) if int(grade) >= SATISFIED_GRADE else 0


@dataclass
class HallRange:
    """One hall's figures over a range of days."""

    issued: int = 0
    served: int = 0
    waited: int = 0  # tickets called, whose waits make the mean
    wait_sum: float = 0.0
    sla: Ratio = field(default_factory=Ratio)
    cases_completed: int = 0
    on_time: Ratio = field(default_factory=Ratio)
    satisfied: Ratio = field(default_factory=Ratio)
    agent_cases: int = 0
    km_saved: float | None = None

    def add(self, other: HallRange) -> None:
        """Add another hall's figures (the totals)."""
        for name in ("issued", "served", "waited", "wait_sum", "cases_completed", "agent_cases"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("sla", "on_time", "satisfied"):
            getattr(self, name).add(getattr(other, name))
        if other.km_saved is not None:
            self.km_saved = (self.km_saved or 0.0) + other.km_saved

    def public(self) -> dict[str, Any]:
        """Return the API's fields."""
        return {"issued": self.issued, "served": self.served,
                "wait_avg": rounded(self.wait_sum / self.waited) if self.waited else None,
                "sla_within_pct": self.sla.pct, "cases_completed": self.cases_completed,
                "cases_on_time_pct": self.on_time.pct, "satisfaction_pct": self.satisfied.pct,
                "agent_cases": self.agent_cases,
                "km_saved": rounded(self.km_saved) if self.km_saved is not None else None}


def county_stats(session: Session, halls: Sequence[Hall], first: date, last: date) -> dict[str, HallRange]:
    """Return every hall's figures over service days first..last, grouped in SQL."""
    codes = [h.code for h in halls]
    out = {c: HallRange() for c in codes}
    in_range = (col(Ticket.hall).in_(codes), col(Ticket.day) >= first, col(Ticket.day) <= last)
    wait = col(Ticket.wait_seconds)
    done = _word(Ticket.status) == TicketStatus.DONE.value
    # One scan a distinct service-level threshold (a county's halls usually share one).
    for sla, group in _by_threshold(halls).items():
        rows = session.execute(sa_select(
            col(Ticket.hall), func.count(), func.sum(case((done, 1), else_=0)), func.count(wait),
            func.sum(wait), func.sum(case((wait <= sla, 1), else_=0)))
            .where(*in_range, col(Ticket.hall).in_(group)).group_by(col(Ticket.hall))).all()
        for code, issued, served, waited, wait_sum, within in rows:
            figures = out[code]
            figures.issued, figures.served = int(issued), int(served or 0)
            figures.waited, figures.wait_sum = int(waited), float(wait_sum or 0.0)
            figures.sla = Ratio(int(within or 0), int(waited))
    for code, grade, n in session.execute(sa_select(col(Ticket.hall), col(Evaluation.grade), func.count())
                                          .join(Ticket, col(Ticket.id) == col(Evaluation.ticket_id))
                                          .where(*in_range).group_by(col(Ticket.hall), col(Evaluation.grade))).all():
        out[code].satisfied.whole += int(n)
        out[code].satisfied.part += int(n) if int(grade) >= SATISFIED_GRADE else 0
    for code, n, on_time in session.execute(sa_select(
            col(Case.hall), func.count(), func.sum(case((col(Case.on_time).is_(True), 1), else_=0))).where(
            col(Case.hall).in_(codes), col(Case.completed_on) >= first, col(Case.completed_on) <= last,
            _word(Case.status) != "withdrawn").group_by(col(Case.hall))).all():
        out[code].cases_completed = int(n)
        out[code].on_time = Ratio(int(on_time or 0), int(n))
    distances = {h.code: {s.code: s.distance_km for s in h.config.stations} for h in halls}
    for code, station, n in session.execute(sa_select(col(Case.hall), col(Case.station), func.count()).where(
            col(Case.hall).in_(codes), col(Case.accepted_on) >= first, col(Case.accepted_on) <= last,
            _word(Case.channel).in_([CaseChannel.AGENT.value, CaseChannel.HOME.value]),
            _word(Case.status) != "withdrawn").group_by(col(Case.hall), col(Case.station))).all():
        figures = out[code]
        figures.agent_cases += int(n)
        km = distances[code].get(station)
        if km is not None:
            figures.km_saved = (figures.km_saved or 0.0) + 2 * float(km) * int(n)
    return out


def _by_threshold(halls: Iterable[Hall]) -> dict[float, list[str]]:
    groups: dict[float, list[str]] = defaultdict(list)
    for h in halls:
        groups[float(h.config.settings.sla_seconds)].append(h.code)
    return groups
