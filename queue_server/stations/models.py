"""Tables and shapes for village stations and their agents."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlmodel import Field, SQLModel


class AgentDay(SQLModel, table=True):
    """How many `agent` tickets one agent took on one service day (the daily limit's count)."""

    __tablename__ = "agent_day"

    hall: str = Field(primary_key=True)
    day: date = Field(primary_key=True)
    username: str = Field(primary_key=True)
    tickets: int = 0


class AgentPublic(BaseModel):
    """An agent as /manage lists it under its station."""

    username: str
    display_name: str
    disabled: bool


class StationPublic(BaseModel):
    """A village station from the hall YAML, with its agents."""

    code: str
    name: str
    distance_km: float | None
    agents: list[AgentPublic]


class StationList(BaseModel):
    """The hall's village stations and where their cases queue in the hall."""

    proxy_window: int
    pickup_window: int
    stations: list[StationPublic]
