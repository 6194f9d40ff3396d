"""The runtime state of the hall's windows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, model_validator
from pydantic import Field as PField
from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from queue_server.db.types import MAX_INT, StrEnumType, UTCDateTime
from queue_server.domain.model import Outcome, WindowStatus
from queue_server.tickets.models import TicketPublic


class WindowState(SQLModel, table=True):
    """A window's status, its clerk and the ticket it holds."""

    __tablename__ = "window_state"

    hall: str = Field(primary_key=True)
    number: int = Field(primary_key=True)
    status: WindowStatus = Field(default=WindowStatus.CLOSED,
                                 sa_column=Column(StrEnumType(WindowStatus), nullable=False))
    clerk: str | None = None
    current_ticket_id: int | None = None
    pause_reason: str | None = None
    last_finished_ticket_id: int | None = None
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class PauseBody(BaseModel):
    """Optional reason for a pause."""

    reason: str | None = PField(default=None, max_length=200)
    model_config = {"extra": "forbid"}


class CallBody(BaseModel):
    """Call one specific ticket."""

    ticket: int = PField(ge=1, le=MAX_INT)
    model_config = {"extra": "forbid"}


class FinishBody(BaseModel):
    """The outcome of a finished ticket."""

    outcome: Outcome = Outcome.DONE
    model_config = {"extra": "forbid"}


class TransferBody(BaseModel):
    """Move the current ticket to another service or window."""

    service: str | None = PField(default=None, max_length=64)
    window: int | None = PField(default=None, ge=1, le=9999)
    model_config = {"extra": "forbid"}

    @model_validator(mode="after")
    def _exactly_one(self) -> TransferBody:
        if (self.service is None) == (self.window is None):
            raise ValueError("name exactly one of service or window")
        return self


class ClerkRef(BaseModel):
    """The clerk signed in at a window."""

    username: str
    display_name: str


class WindowPublic(BaseModel):
    """A window for staff: its status, clerk, current ticket and work profile."""

    number: int
    name: str
    status: WindowStatus
    pause_reason: str | None
    clerk: ClerkRef | None
    current: TicketPublic | None
    services: list[str]
    profile: list[list[str]]
