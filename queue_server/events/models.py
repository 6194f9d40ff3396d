"""The append-only event log, and the per-hall row that numbers it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from queue_server.db.types import UTCDateTime


class HallState(SQLModel, table=True):
    """One row per hall: the last event seq, and an imported configuration if any."""

    __tablename__ = "hall_state"

    hall: str = Field(primary_key=True)
    last_seq: int = 0
    config_yaml: str | None = Field(default=None, sa_column=Column(Text))
    current_day: str | None = None  # the service day the rollover last saw


class Event(SQLModel, table=True):
    """One state change; also the audit trail."""

    __table_args__ = (UniqueConstraint("hall", "seq", name="uq_event_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    seq: int
    type: str
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ticket_id: int | None = Field(default=None, index=True)
    window: int | None = None
    actor: str  # "user:NAME", "device:ID", "resident:TICKET" or "system"
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False))
