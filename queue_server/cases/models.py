"""Case (办件) tables and the shapes the API reads and writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic import Field as PField
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from queue_server.db.types import StrEnumType, UTCDateTime
from queue_server.domain.model import (
    CaseChannel,
    CaseResult,
    CaseStatus,
    Delivery,
    DocumentKind,
    HomeGroup,
    MatterMode,
)

ShortText = Annotated[str, StringConstraints(max_length=200)]  # every free-text item is bounded


class CaseKey(SQLModel, table=True):
    """A caller's Idempotency-Key for POST /api/cases or /api/cases/batch, kept for the day."""

    __tablename__ = "case_idempotency"

    hall: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    caller: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    body_hash: str
    case_id: int | None = None  # a single case
    batch_id: int | None = None  # or a batch


class CaseCounter(SQLModel, table=True):
    """The last case number drawn per (hall, acceptance day); numbers are never reused."""

    __tablename__ = "case_counter"

    hall: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    last: int = 0


class CaseBatch(SQLModel, table=True):
    """Cases submitted together (an agent's round of the village, 家能办)."""

    __tablename__ = "case_batch"

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    station: str | None = None
    created_by: str
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Case(SQLModel, table=True):
    """One guide matter handled for one applicant, from acceptance to the resident's hands."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("hall", "number", name="uq_case_number"),
        Index("ix_case_accepted", "hall", "accepted_on"),
        Index("ix_case_completed", "hall", "completed_on"),
        Index("ix_case_open", "hall", "status", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    number: str
    matter: str
    service: str
    department: str
    mode: MatterMode = Field(sa_column=Column(StrEnumType(MatterMode), nullable=False))
    channel: CaseChannel = Field(sa_column=Column(StrEnumType(CaseChannel), nullable=False))
    station: str | None = None
    home_group: HomeGroup | None = Field(default=None, sa_column=Column(StrEnumType(HomeGroup)))
    ticket_id: int | None = None
    batch_id: int | None = None
    status: CaseStatus = Field(sa_column=Column(StrEnumType(CaseStatus), nullable=False))
    applicant_name: str
    applicant_phone: str | None = None
    applicant_id_number: str | None = None
    received_materials: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON
    note: str | None = None
    accepted_by: str
    accepted_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    accepted_on: date  # the acceptance day in the hall's timezone
    promised_days: int
    due_date: date  # without a suspension still running
    suspended_days: int = 0  # working days of finished suspensions
    suspended_from: CaseStatus | None = Field(default=None, sa_column=Column(StrEnumType(CaseStatus)))
    suspended_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    suspended_on: date | None = None
    missing: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON, last 补正
    completed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    completed_on: date | None = None
    result: CaseResult | None = Field(default=None, sa_column=Column(StrEnumType(CaseResult)))
    result_note: str | None = None
    delivery: Delivery | None = Field(default=None, sa_column=Column(StrEnumType(Delivery)))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    on_time: bool | None = None
    token: str = Field(index=True)


class CaseStep(SQLModel, table=True):
    """One line of a case's history: the state it reached, when, by whom, and why."""

    __tablename__ = "case_step"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(index=True)
    status: CaseStatus = Field(sa_column=Column(StrEnumType(CaseStatus), nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    by: str
    note: str | None = None


class ApplicantIn(BaseModel):
    """Who the case is for."""

    model_config = ConfigDict(extra="forbid")

    name: str = PField(min_length=1, max_length=50)
    phone: str | None = PField(default=None, pattern=r"^1\d{10}$")
    id_number: str | None = PField(default=None, max_length=18)


class CaseCreate(BaseModel):
    """The body of POST /api/cases (and each entry of a batch)."""

    model_config = ConfigDict(extra="forbid")

    matter: str = PField(min_length=1, max_length=64)
    # Left out (or left without an ID number, under the card's name) with a ticket a kiosk issued
    # for an ID card: the applicant is the card holder, in full (cases/service/accepting.py).
    applicant: ApplicantIn | None = None
    ticket: int | None = PField(default=None, ge=1, le=2**31 - 1)  # an INTEGER column: 32-bit on PostgreSQL
    received_materials: list[ShortText] = PField(default_factory=list, max_length=50)
    note: str | None = PField(default=None, max_length=500)
    group: HomeGroup | None = None
    station: str | None = PField(default=None, max_length=20)


class CaseBatchCreate(BaseModel):
    """The body of POST /api/cases/batch."""

    model_config = ConfigDict(extra="forbid")

    cases: list[dict[str, object]] = PField(min_length=1, max_length=100)


class SuspendBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    missing: list[ShortText] = PField(min_length=1, max_length=50)
    note: str | None = PField(default=None, max_length=500)


class CompleteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result: CaseResult
    note: str | None = PField(default=None, max_length=500)


class DeliverBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Delivery


class WithdrawBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = PField(min_length=1, max_length=500)


class EmptyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PrintBody(BaseModel):
    """What to print at which window."""

    model_config = ConfigDict(extra="forbid")

    window: int = PField(ge=1, le=999)
    kind: DocumentKind


class ApplicantPublic(BaseModel):
    """The applicant as staff see them: phone and ID number masked."""

    name: str
    phone: str | None
    id_number: str | None


class HistoryEntry(BaseModel):
    status: CaseStatus
    at: str
    by: str
    note: str | None


class CasePublic(BaseModel):
    """The API's Case; token and track_url only in the response that creates it."""

    id: int
    number: str
    matter: str
    matter_name: str
    service: str
    department: str
    department_name: str
    mode: MatterMode
    channel: CaseChannel
    station: str | None
    group: HomeGroup | None
    ticket: int | None
    batch: int | None
    status: CaseStatus
    applicant: ApplicantPublic
    received_materials: list[str]
    missing: list[str]
    accepted_at: str
    promised_days: int
    due_date: str
    suspended_days: int
    overdue: bool
    completed_at: str | None
    result: CaseResult | None
    result_note: str | None
    delivery: Delivery | None
    delivered_at: str | None
    on_time: bool | None
    pickup_window: int
    history: list[HistoryEntry]
    token: str | None = None
    track_url: str | None = None


class CaseList(BaseModel):
    total: int
    proxy_window: int  # the 帮办代办 window, where proxy, agent and home cases queue
    cases: list[CasePublic]


class BatchPublic(BaseModel):
    batch: int
    cases: list[CasePublic]


class PrintPublic(BaseModel):
    """What POST /api/cases/{id}/print answers once the printer took the document."""

    case: int
    window: int
    kind: DocumentKind
    printer_status: str
