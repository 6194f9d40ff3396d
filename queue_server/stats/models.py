"""The statistics the API answers: typed, so /docs shows the real shapes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Durations(BaseModel):
    """Average, median and 90th percentile of durations in seconds (max for waits)."""

    model_config = ConfigDict(extra="allow")

    avg: float | None
    p50: float | None
    p90: float | None


class Sla(BaseModel):
    """How many tickets were called within the threshold."""

    threshold: float
    called: int
    within: int
    within_pct: float | None


class Satisfaction(BaseModel):
    """The residents' grades."""

    count: int
    avg: float | None
    satisfied_pct: float | None
    grades: dict[str, int]


class WaitBucket(BaseModel):
    """How many waits fell in a band of minutes."""

    bucket: str
    from_min: int
    to_min: int | None
    count: int


class ByWindow(BaseModel):
    window: int
    served: int
    service_avg: float | None


class ByService(BaseModel):
    service: str
    name: str
    issued: int
    served: int
    wait_avg: float | None


class ByHour(BaseModel):
    hour: int
    issued: int
    wait_avg: float | None


class ByClerk(BaseModel):
    clerk: str
    name: str
    served: int
    service_avg: float | None
    grades: int
    grade_avg: float | None
    satisfied_pct: float | None


class StatsSummary(BaseModel):
    """The hall's KPIs over a range of service days (definitions in docs/statistics.md)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    issued: int
    served: int
    no_show: int
    cancelled: int
    expired: int
    waiting_now: int
    in_service_now: int
    no_show_pct: float | None
    wait: Durations
    service: Durations
    sla: Sla
    satisfaction: Satisfaction
    outcomes: dict[str, int]
    outcomes_pct: dict[str, float | None]
    eta_mae_minutes: float | None
    wait_buckets: list[WaitBucket]
    by_window: list[ByWindow]
    by_service: list[ByService]
    by_hour: list[ByHour]
    by_channel: dict[str, int]
    by_clerk: list[ByClerk]
