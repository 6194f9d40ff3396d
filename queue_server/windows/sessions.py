"""The stretches of time each window was open, kept from its events for staffing figures.

A window is open from `window.opened` (when it opens as open) or `window.resumed` until
`window.paused` or `window.closed` (a clerk's, the rollover's or a manager's). Paused time is not
open. A manager taking over a paused window (`window.opened` with status paused) changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from queue_server.db.types import UTCDateTime
from queue_server.domain.model import WindowStatus

OPENED, PAUSED, RESUMED, CLOSED = "window.opened", "window.paused", "window.resumed", "window.closed"
TYPES = (OPENED, PAUSED, RESUMED, CLOSED)


class WindowSession(SQLModel, table=True):
    """One stretch a window was open; closed_at is empty while it still is."""

    __tablename__ = "window_session"
    __table_args__ = (
        Index("ix_window_session_opened", "hall", "opened_at"),  # the staffing read: a hall's days
        Index("ix_window_session_window", "hall", "window", "closed_at"),  # the handler: the open one
    )

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    window: int
    opened_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


def opens(event_type: str, status: str | None = None) -> bool | None:
    """Tell whether a window event starts an open stretch (True), ends one (False), or neither (None)."""
    if event_type == RESUMED or (event_type == OPENED and status == WindowStatus.OPEN):
        return True
    if event_type in (PAUSED, CLOSED):
        return False
    return None


class WindowEvent(NamedTuple):
    """A window event as the log keeps it: its hall, window, type, status (of window.opened) and instant."""

    hall: str
    window: int
    type: str
    status: str | None
    at: datetime


class Stretch(NamedTuple):
    """A stretch a window was open, as a row of window_session."""

    hall: str
    window: int
    opened_at: datetime
    closed_at: datetime | None


def fold(events: Iterable[WindowEvent]) -> list[Stretch]:
    """Turn window events, oldest first, into the stretches the handler would have kept."""
    since: dict[tuple[str, int], datetime] = {}
    out: list[Stretch] = []
    for e in events:
        key, change = (e.hall, e.window), opens(e.type, e.status)
        if change and key not in since:
            since[key] = e.at
        elif change is False and key in since:
            out.append(Stretch(e.hall, e.window, since.pop(key), e.at))
    out += [Stretch(h, w, at, None) for (h, w), at in since.items()]
    return sorted(out, key=lambda s: (s.hall, s.opened_at, s.window))
