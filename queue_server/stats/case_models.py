"""What /api/stats/cases answers: typed, so /docs shows the real shape."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CaseModes(BaseModel):
    onsite: int
    deferred: int
    proxy: int


class CaseChannels(BaseModel):
    window: int
    agent: int
    home: int


class CaseByDepartment(BaseModel):
    department: str
    name: str
    completed: int
    on_time_pct: float | None


class CaseByStation(BaseModel):
    station: str
    name: str = ""  # the station's name from the hall YAML
    accepted: int
    completed: int
    on_time_pct: float | None
    km_saved: float | None


class CaseStats(BaseModel):
    """Matters accepted and completed, and the share completed on time (definitions in docs/cases.md)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    accepted: int
    completed: int
    completed_on_time: int
    on_time_pct: float | None
    open: int
    overdue_open: int
    due_soon: int
    avg_working_days: float | None
    by_mode: CaseModes
    by_channel: CaseChannels
    by_department: list[CaseByDepartment]
    by_station: list[CaseByStation]
