"""The county's own tables and the shapes its API reads and writes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PField
from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from queue_server.db.types import UTCDateTime
from queue_server.domain.model import HALL_CODE


class CountyCalendarYear(SQLModel, table=True):
    """A year's holidays and adjusted working days, entered from the State Council's notice."""

    __tablename__ = "county_calendar"

    year: int = Field(primary_key=True)
    holidays: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list of dates
    workdays: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_by: str


class CountyState(SQLModel, table=True):
    """One row: raised with every change to the county calendar, which each process checks."""

    __tablename__ = "county_state"

    id: int = Field(default=1, primary_key=True)
    calendar_version: int = 0


class CalendarYearBody(BaseModel):
    """PUT /api/county/calendar/{year}: the year's holidays and adjusted working days."""

    model_config = ConfigDict(extra="forbid")

    holidays: list[str] = PField(default_factory=list, max_length=366)
    workdays: list[str] = PField(default_factory=list, max_length=366)


class CalendarYearPublic(BaseModel):
    """A county calendar year as stored."""

    year: int
    holidays: list[str]
    workdays: list[str]
    updated_at: str
    updated_by: str


class HallCreate(BaseModel):
    """POST /api/county/halls: a new hall, copied from another one or from a configuration."""

    model_config = ConfigDict(extra="forbid")

    code: str = PField(pattern=HALL_CODE, description="2–32 lower-case letters, digits and -")
    name: str = PField(min_length=1, max_length=64)
    short_name: str | None = PField(default=None, max_length=32)
    copy_from: str | None = PField(default=None, max_length=32)
    config: dict[str, object] | None = None  # the hall YAML as JSON


class HallPublic(BaseModel):
    """A hall of the county, with where its pages are."""

    code: str
    name: str
    short_name: str
    url: str


class HallNowPublic(BaseModel):
    """A hall's live figures on the county overview (and their totals)."""

    waiting: int
    open_windows: int
    served_today: int
    sla_pct_today: float | None
    cases_open: int
    cases_overdue: int
    cases_on_time_pct_30d: float | None
    satisfaction_pct_30d: float | None
    feedback_overdue: int
    devices_down: int


class OverviewHall(HallNowPublic):
    """One hall's line on the overview, with where its /manage is."""

    code: str
    name: str
    manage_url: str


class CountyOverview(BaseModel):
    """GET /api/county/overview: every hall, live, and the county's totals."""

    at: str
    halls: list[OverviewHall]
    totals: HallNowPublic


class HallRangePublic(BaseModel):
    """A hall's figures over a range of days (and their totals)."""

    issued: int
    served: int
    wait_avg: float | None
    sla_within_pct: float | None
    cases_completed: int
    cases_on_time_pct: float | None
    satisfaction_pct: float | None
    agent_cases: int
    km_saved: float | None


class StatsHall(HallRangePublic):
    """One hall's line in the county statistics."""

    code: str
    name: str


class CountyStats(BaseModel):
    """GET /api/county/stats: every hall's figures over a range of days, and the county's totals."""

    from_: str = PField(alias="from")
    to: str
    halls: list[StatsHall]
    totals: HallRangePublic

    model_config = ConfigDict(populate_by_name=True)
