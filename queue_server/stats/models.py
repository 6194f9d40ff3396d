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


class HelpStats(BaseModel):
    """Calls for a guide (呼叫导办员) made in the range: how many, how many answered, how fast."""

    requested: int
    acknowledged: int  # of those, how many a staff member ever acknowledged
    ack_p50: float | None  # median seconds from the call to its acknowledgement (nearest rank)


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
    help: HelpStats


# Cases (办件): GET /api/stats/cases
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


# Feedback (好差评整改): GET /api/stats/feedback and /api/stats/feedback/monthly
class FeedbackStats(BaseModel):
    """GET /api/stats/feedback."""

    bad: int
    cannot_do: int
    visited_pct: float | None
    rectified_on_time_pct: float | None
    open: int
    overdue: int


class WindowRank(BaseModel):
    """One window's line in the monthly ranking (月度排名通报)."""

    rank: int | None  # None: no resident graded this window in the month, so it is not ranked
    window: int
    name: str
    served: int
    grades: int
    satisfied_pct: float | None
    bad: int
    overdue: int


class MonthlyReport(BaseModel):
    """A month's feedback figures and the window ranking."""

    month: str
    first: str  # the month's first day
    last: str  # and its last
    feedback: FeedbackStats
    ranking: list[WindowRank]


# Appointments (预约): GET /api/stats/appointments
class AppointmentStats(BaseModel):
    """GET /api/stats/appointments: bookings whose slot falls in the range, by what became of them."""

    booked: int
    used: int
    missed: int
    cancelled: int
    waiting: int  # still booked: the slot is ahead, or today's has not ended or been rolled over
    no_show_pct: float | None


# Staffing advice (窗口排班建议): GET /api/stats/staffing
class StaffingInterval(BaseModel):
    """One half-hour of the opening hours: arrivals, service time, windows needed and open."""

    start: str
    end: str
    arrivals: float
    service_avg: float
    windows_needed: int
    windows_open: float
    within_pct: float


class StaffingBacktest(BaseModel):
    """How far the same forecast of arrivals missed on the chosen days, each from the days before it."""

    days: int
    arrivals_mape_pct: float | None


class StaffingPool(BaseModel):
    """Windows with the same work profile, the share of each service's tickets they take, and their advice."""

    windows: list[int]
    name: str  # the windows' common name (社保医保窗口); empty when their names differ
    shares: dict[str, float]
    intervals: list[StaffingInterval]
    advice: list[str]


class StaffingAdvice(BaseModel):
    """GET /api/stats/staffing: windows needed against windows open, by half-hour (docs/staffing.md)."""

    weekday: int
    weeks: int
    target_wait: float
    target_pct: float
    intervals: list[StaffingInterval]
    advice: list[str]
    backtest: StaffingBacktest
    days: list[str]  # the chosen days the figures come from, oldest first
    pools: list[StaffingPool]
