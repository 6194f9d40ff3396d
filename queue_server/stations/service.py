"""Agent rules that are not the cases' own: the daily ticket limit and the station listing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlmodel import Session, col, select

from queue_server.auth.models import User
from queue_server.auth.service import Principal
from queue_server.core.errors import Forbidden, RateLimited, Unauthorized
from queue_server.domain.model import Role
from queue_server.halls.hall import Hall
from queue_server.stations.models import AgentDay, AgentPublic, StationList, StationPublic


def station_names(hall: Hall) -> dict[str, str]:
    """Map each configured station code to its name."""
    return {s.code: s.name for s in hall.config.stations}


def authorise_agent_ticket(hall: Hall, who: Principal | None) -> None:
    """Allow the `agent` channel to a village agent of a configured station only."""
    if who is None:
        raise Unauthorized("村级代办取号需要代办员登录")
    if not who.is_agent or who.username is None:
        raise Forbidden("只有村级代办员可以取 agent 号")
    if who.station not in station_names(hall):
        raise Forbidden("代办员所属村站未配置，请联系管理员")


def count_agent_ticket(session: Session, hall: Hall, who: Principal, day: date) -> None:
    """Count one more `agent` ticket for the agent today, or refuse it over the daily limit."""
    assert who.username is not None
    limit = hall.config.settings.agent_daily_tickets
    params = {"h": hall.code, "d": day, "u": who.username, "n": limit}
    # Compare-and-set in the same transaction as the ticket: a refused or rolled-back
    # request leaves the count as it was, and two requests at once cannot both pass.
    row = session.execute(text(
        "UPDATE agent_day SET tickets = tickets + 1 "
        "WHERE hall = :h AND day = :d AND username = :u AND tickets < :n RETURNING tickets"),
        params).first()
    if row is not None:
        return
    if session.get(AgentDay, (hall.code, day, who.username)) is not None or limit < 1:
        raise RateLimited(f"今天代办取号已达上限（每位代办员每天 {limit} 个）")
    session.add(AgentDay(hall=hall.code, day=day, username=who.username, tickets=1))
    session.flush()


def list_stations(session: Session, hall: Hall) -> StationList:
    """List the configured stations with their agents."""
    agents: dict[str, list[AgentPublic]] = {}
    rows = session.exec(select(User).where(User.role == Role.AGENT).order_by(col(User.username)))
    for user in rows:
        agents.setdefault(user.station or "", []).append(AgentPublic(
            username=user.username, display_name=user.display_name, disabled=user.disabled))
    cfg = hall.config
    return StationList(
        proxy_window=cfg.proxy_window(), pickup_window=cfg.pickup_window(),
        stations=[StationPublic(code=s.code, name=s.name, distance_km=s.distance_km,
                                agents=agents.get(s.code, [])) for s in cfg.stations])
