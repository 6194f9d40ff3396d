"""Help request use cases: a kiosk calls a guide, staff acknowledge it, then resolve it."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import col, select

from queue_server.auth.service import Principal
from queue_server.core.errors import Forbidden, NotFound, conflict
from queue_server.db.uow import UnitOfWork
from queue_server.help.events import HelpAcknowledged, HelpBrief, HelpRequested, HelpResolved
from queue_server.help.models import OPEN_HELP, HelpReason, HelpRequest, HelpStatus


def brief(row: HelpRequest) -> HelpBrief:
    """Return what help events carry: the request's id, its kiosk and its status."""
    assert row.id is not None
    return HelpBrief(id=row.id, kiosk=row.kiosk, status=row.status)


def require_kiosk(who: Principal) -> int:
    """Return the calling kiosk's device id, or refuse any other caller."""
    if who.kind != "device" or who.role != "kiosk" or who.device_id is None:
        raise Forbidden("只有取号机可以呼叫导办员")
    return who.device_id


def staff_name(who: Principal) -> str:
    """Return how a request names the staff member who acted."""
    return who.display_name or who.username or who.actor


def request(uow: UnitOfWork, *, reason: HelpReason | None, who: Principal,
            now: datetime) -> tuple[HelpRequest, bool]:
    """Call a guide to a kiosk; return its open request instead while it has one (and whether it is new)."""
    session, hall = uow.session, uow.hall
    kiosk = require_kiosk(who)
    uow.lock()  # one kiosk's two quick taps: the second sees the first's request
    open_now = session.exec(select(HelpRequest).where(
        HelpRequest.hall == hall.code, HelpRequest.open_kiosk == kiosk)).first()
    if open_now is not None:
        return open_now, False
    row = HelpRequest(hall=hall.code, day=hall.day(now), kiosk=kiosk,
                      kiosk_name=who.display_name or f"取号机 {kiosk}", reason=reason,
                      status=HelpStatus.REQUESTED, open_kiosk=kiosk, requested_at=now)
    session.add(row)
    session.flush()
    uow.emit(HelpRequested(help=brief(row)), at=now, actor=who.actor)
    return row, True


def get(uow: UnitOfWork, help_id: int) -> HelpRequest:
    """Return a help request of this hall, or raise NotFound."""
    row = uow.session.get(HelpRequest, help_id)
    if row is None or row.hall != uow.hall.code:
        raise NotFound("没有这个呼叫")
    return row


def acknowledge(uow: UnitOfWork, *, help_id: int, who: Principal, now: datetime) -> HelpRequest:
    """Say a guide is on the way: requested → acknowledged."""
    row = get(uow, help_id)
    if row.status != HelpStatus.REQUESTED:
        raise conflict("invalid_state", "这个呼叫已经有人响应或已经处理完了")
    row.status, row.acknowledged_at, row.acknowledged_by = HelpStatus.ACKNOWLEDGED, now, staff_name(who)
    uow.emit(HelpAcknowledged(help=brief(row)), at=now, actor=who.actor)
    return row


def resolve(uow: UnitOfWork, *, help_id: int, who: Principal, now: datetime) -> HelpRequest:
    """Close a call: the resident was helped (from requested or acknowledged)."""
    row = get(uow, help_id)
    if row.status not in OPEN_HELP:
        raise conflict("invalid_state", "这个呼叫已经处理完了")
    row.status, row.resolved_at, row.resolved_by, row.open_kiosk = (
        HelpStatus.RESOLVED, now, staff_name(who), None)
    uow.emit(HelpResolved(help=brief(row)), at=now, actor=who.actor)
    return row


DAY_END = "系统（日终）"  # who closed a call still open when its service day ended


def close_left_open(uow: UnitOfWork, *, today: date, now: datetime) -> int:
    """Resolve the calls of earlier service days still open, so each kiosk may call again; return how many."""
    session, hall = uow.session, uow.hall
    rows = session.exec(select(HelpRequest).where(
        HelpRequest.hall == hall.code, HelpRequest.day < today,
        col(HelpRequest.status).in_([s.value for s in OPEN_HELP])).order_by(col(HelpRequest.id))).all()
    for row in rows:
        row.status, row.resolved_at, row.resolved_by, row.open_kiosk = HelpStatus.RESOLVED, now, DAY_END, None
        uow.emit(HelpResolved(help=brief(row)), at=now, actor="system")
    return len(rows)

