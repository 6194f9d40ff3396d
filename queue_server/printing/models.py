"""Print jobs on their way to a hall's print agent, and which agent holds each printer name."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from queue_server.db.types import StrEnumType, UTCDateTime


class PrintJobStatus(StrEnum):
    """Where a job is: waiting for its agent's worker, sent to the agent, or finished."""

    PENDING = "pending"
    SENT = "sent"
    PRINTED = "printed"
    FAULT = "fault"
    EXPIRED = "expired"  # the requester stopped waiting: never sent after this, never printed late


OPEN = (PrintJobStatus.PENDING, PrintJobStatus.SENT)


class PrintJob(SQLModel, table=True):
    """One document for an agent's printer, relayed between server processes through this row."""

    __tablename__ = "print_job"
    __table_args__ = (Index("ix_print_job_hall_printer_status", "hall", "printer", "status"),
                      Index("ix_print_job_created_at", "created_at"))

    id: str = Field(primary_key=True, max_length=32)  # made by the requester, so it waits before it writes
    hall: str
    printer: str
    window: int
    title: str = ""
    # ESC/POS bytes; erased once the job is answered or expired (a slip carries a masked name
    # and the case's tracking link).
    data: bytes = Field(default=b"", sa_column=Column(LargeBinary(), nullable=False))
    status: PrintJobStatus = Field(sa_column=Column(StrEnumType(PrintJobStatus), nullable=False))
    requested_by: str  # the server process that waits for it
    link: str | None = None  # the agent connection it was sent on
    sent_by: str | None = None  # the server process holding that connection
    printer_status: str | None = None
    message: str | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class PrintAgentLink(SQLModel, table=True):
    """The connection that holds a printer name of a hall now: the last agent to announce it."""

    __tablename__ = "print_agent"

    hall: str = Field(primary_key=True)
    printer: str = Field(primary_key=True)
    link: str = Field(index=True)
    instance: str  # the agent's run: a reconnect of the same run is not "another agent"
    device_id: int
    worker: str = Field(index=True)  # the server process holding the socket
    connected_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    seen_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
