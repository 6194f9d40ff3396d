"""Phone tickets: who a phone is (signed cookie, else its address) and the anti-hoarding limits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, text
from sqlmodel import Session, select

from queue_server.core.errors import RateLimited
from queue_server.domain.model import Channel, TicketStatus
from queue_server.domain.passes import pass_period_start
from queue_server.halls.hall import Hall
from queue_server.tickets.models import MobileIpDay, Ticket, TicketCreate


def _count(session: Session, hall: Hall, *where: Any) -> int:
    statement = select(func.count()).select_from(Ticket).where(
        Ticket.hall == hall.code, Ticket.channel == Channel.MOBILE, *where)
    return int(session.exec(statement).one())


def check_limits(session: Session, hall: Hall, body: TicketCreate, *, identity: str, ip: str,
                 day: date, now: datetime) -> None:
    """Refuse a phone ticket over any limit: per phone or device, per address, per service, hall-wide."""
    limits = hall.config.settings.mobile_limits
    # The identity is the signed device cookie, or the address when there is none: dropping the
    # cookie only moves a phone onto its address's count.
    who: list[Any] = [Ticket.device_cookie == identity]
    if body.phone:
        who.append(Ticket.phone == body.phone)
    today = (Ticket.day == day, or_(*who))
    waiting = _count(session, hall, *today, Ticket.service == body.service,
                     Ticket.status == TicketStatus.WAITING)
    if waiting >= limits.waiting_per_service:
        raise RateLimited("您已有这项业务的号码在等候，请勿重复取号")
    if _count(session, hall, *today) >= limits.tickets_per_day:
        raise RateLimited(f"每部手机每天最多取 {limits.tickets_per_day} 个号")
    by_ip = session.get(MobileIpDay, (hall.code, day, ip))
    if by_ip is not None and by_ip.tickets >= limits.ip_tickets_per_day:
        raise RateLimited("这个网络今天的手机取号次数已达上限，请到取号机取号")
    cap = limits.service_daily_cap.get(body.service)
    if cap is not None and _count(session, hall, Ticket.day == day,
                                  Ticket.service == body.service) >= cap:
        raise RateLimited("这项业务今天的手机取号名额已满，请到取号机取号")
    since = pass_period_start(now, hall.config.settings.pass_rotation_seconds)
    if _count(session, hall, Ticket.issued_at >= since) >= limits.tickets_per_pass_period:
        raise RateLimited("手机取号人数过多，请稍后再扫码或到取号机取号")


def count_ip(session: Session, hall: Hall, *, ip: str, day: date) -> None:
    """Add one phone ticket to the address's count for the day, in the issuing transaction."""
    params = {"h": hall.code, "d": day, "ip": ip}
    done = session.execute(text("UPDATE mobile_ip_day SET tickets = tickets + 1 "
                                "WHERE hall = :h AND day = :d AND ip = :ip"), params)
    if not done.rowcount:  # type: ignore[attr-defined]
        session.add(MobileIpDay(hall=hall.code, day=day, ip=ip, tickets=1))
        session.flush()
