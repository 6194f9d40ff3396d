"""Feedback (好差评整改) tables and the shapes the API reads and writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints
from pydantic import Field as PField
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from queue_server.db.types import StrEnumType, UTCDateTime
from queue_server.domain.model import FeedbackKind, FeedbackStatus, GradeSource, VisitMethod

Reason = Annotated[str, StringConstraints(max_length=50)]
Note = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class FeedbackItem(SQLModel, table=True):
    """A bad grade or a 「办不成事」 report, followed through visit → rectify → close."""

    __tablename__ = "feedback_item"
    __table_args__ = (
        Index("ix_feedback_opened", "hall", "opened_on"),
        Index("ix_feedback_status", "hall", "status", "due_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    kind: FeedbackKind = Field(sa_column=Column(StrEnumType(FeedbackKind), nullable=False))
    source: GradeSource | None = Field(default=None, sa_column=Column(StrEnumType(GradeSource)))
    ticket_id: int | None = Field(default=None, index=True)
    case_id: int | None = Field(default=None, index=True)
    window: int | None = None
    clerk: str | None = None
    grade: int | None = None
    reasons: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list
    comment: str | None = Field(default=None, sa_column=Column(Text))  # or the report's description
    matter: str | None = None
    phone: str | None = None
    status: FeedbackStatus = Field(sa_column=Column(StrEnumType(FeedbackStatus), nullable=False))
    opened_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    opened_on: date  # the local day it was opened
    due_date: date  # feedback_days working days after opened_on
    settled_on: date | None = None  # the local day it was first rectified or closed
    visited_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class FeedbackStep(SQLModel, table=True):
    """One line of an item's history: the state it reached, when, by whom, how, and the note."""

    __tablename__ = "feedback_step"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(index=True)
    status: FeedbackStatus = Field(sa_column=Column(StrEnumType(FeedbackStatus), nullable=False))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    by: str
    method: VisitMethod | None = Field(default=None, sa_column=Column(StrEnumType(VisitMethod)))
    note: str | None = Field(default=None, sa_column=Column(Text))


class CaseEvaluation(SQLModel, table=True):
    """The applicant's one grade for a completed case."""

    __tablename__ = "case_evaluation"

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    case_id: int = Field(unique=True)
    grade: int
    reasons: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list
    comment: str | None = Field(default=None, sa_column=Column(Text))
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ReportCreate(BaseModel):
    """The body of POST /api/feedback: a 「办不成事」 report from a resident."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["cannot_do"] = "cannot_do"
    description: str = PField(min_length=1, max_length=500)
    phone: str | None = PField(default=None, pattern=r"^1\d{10}$")
    matter: str | None = PField(default=None, max_length=64)


class VisitBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: VisitMethod
    note: Note


class NoteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Note


class CaseEvaluationCreate(BaseModel):
    """The applicant's grade for a completed case, with the case's token."""

    model_config = ConfigDict(extra="forbid")

    token: str = PField(min_length=1, max_length=200)
    grade: int = PField(ge=1, le=5)
    reasons: list[Reason] = PField(default_factory=list, max_length=10)
    comment: str | None = PField(default=None, max_length=500)


class StepPublic(BaseModel):
    status: FeedbackStatus
    at: str
    by: str
    method: VisitMethod | None
    note: str | None


class FeedbackPublic(BaseModel):
    """The API's feedback item; the phone is always masked here."""

    id: int
    number: str  # the confirmation number a resident keeps
    kind: FeedbackKind
    source: GradeSource | None
    ticket: int | None
    ticket_number: str | None
    case: int | None
    window: int | None
    clerk: str | None
    clerk_name: str | None
    grade: int | None
    reasons: list[str]
    comment: str | None
    matter: str | None
    matter_name: str | None
    phone: str | None
    status: FeedbackStatus
    opened_at: str
    due_date: str
    overdue: bool
    history: list[StepPublic]


class FeedbackList(BaseModel):
    total: int
    items: list[FeedbackPublic]


class PhoneRevealed(BaseModel):
    """The full phone number, shown to a manager once and recorded in the event log."""

    id: int
    phone: str | None


class CaseEvaluationPublic(BaseModel):
    """A case's grade, as its applicant gave it."""

    case: int
    grade: int
    reasons: list[str]
    comment: str | None
    at: str


class CaseEvaluationState(BaseModel):
    """Whether the applicant may still grade a case, and the grade if given."""

    case: int
    can_evaluate: bool
    evaluation: CaseEvaluationPublic | None


