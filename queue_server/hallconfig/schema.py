"""The hall configuration: what a hall YAML file holds, validated."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from queue_server.domain.model import HALL_CODE, MatterMode, MobileEntry
from queue_server.hallconfig.sms import SmsSettings

SERVICE_CODE = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
CATEGORY_CODE = re.compile(r"^[A-Z]$")
# The pictograms the pages draw (Tabler Icons outline SVGs, vendored); the kiosk's webfont is
# vendored from the same version, so a name valid here draws everywhere.
ICONS_DIR = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "tabler-icons" / "outline"
ICON_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _check_icon(v: str | None) -> str | None:
    """Refuse an icon name that is not in the bundled Tabler set, naming it."""
    if v is None:
        return v
    if not ICON_NAME.match(v) or not (ICONS_DIR / f"{v}.svg").is_file():
        raise ValueError(f"icon {v!r}: 图标 {v!r} 不在内置的 Tabler 图标集中 (not a bundled Tabler "
                         "outline icon; see queue_server/web/static/vendor/tabler-icons/outline)")
    return v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HallInfo(_Strict):
    code: str = Field(pattern=HALL_CODE)  # 2–32 lower-case letters, digits and -: what URLs carry
    name: str
    short_name: str = ""
    timezone: str = "Asia/Shanghai"
    rollover: str = Field(default="00:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class MobileLimits(_Strict):
    waiting_per_service: int = 1
    tickets_per_day: int = 3
    ip_requests_per_minute: int = 30
    ip_tickets_per_day: int = Field(default=10, ge=1)  # every phone ticket from one address
    tickets_per_pass_period: int = Field(default=30, ge=1)  # the whole hall, per pass rotation
    service_daily_cap: dict[str, int] = Field(default_factory=dict)


class AnnounceSettings(_Strict):
    repeat: int = Field(default=2, ge=1, le=5)
    digits: bool = True


CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"
DEFAULT_PICKUP_WINDOW = 18
DEFAULT_PROXY_WINDOW = 17


class CalendarOverrides(_Strict):
    """Single dates that override the statutory working-day calendar."""

    extra_holidays: list[date] = Field(default_factory=list)
    extra_workdays: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _disjoint(self) -> CalendarOverrides:
        both = set(self.extra_holidays) & set(self.extra_workdays)
        if both:
            raise ValueError(f"calendar: {sorted(both)[0]} is both a holiday and a workday")
        return self


class ExtraSession(_Strict):
    """An off-hours session on one date (e.g. a Saturday morning): only appointments are served."""

    date: date
    start: str = Field(pattern=CLOCK)
    end: str = Field(pattern=CLOCK)

    @model_validator(mode="after")
    def _ordered(self) -> ExtraSession:
        if self.start >= self.end:
            raise ValueError(f"extra_sessions: {self.date} starts at {self.start}, after {self.end}")
        return self


class AppointmentSettings(_Strict):
    """Booking (预约): slots, the share of capacity offered, the check-in bonus and the limits."""

    enabled: bool = True
    days_ahead: int = Field(default=7, ge=1, le=60)
    slot_minutes: int = Field(default=30, ge=5, le=240)
    share: float = Field(default=0.5, gt=0, le=1)
    bonus_seconds: int = Field(default=900, ge=0, le=7200)
    no_show_limit: int = Field(default=3, ge=1)
    per_ip_daily: int = Field(default=20, ge=1)
    extra_sessions: list[ExtraSession] = Field(default_factory=list)


def _default_hours() -> list[list[str]]:
    return [["09:00", "12:00"], ["13:30", "17:30"]]


class HallSettings(_Strict):
    sla_seconds: int = Field(default=900, gt=0)
    priority_bonus_seconds: int = Field(default=600, ge=0)
    mobile_entry: MobileEntry = MobileEntry.ROTATING
    pass_rotation_seconds: int = Field(default=60, ge=10)
    handling_time_smoothing: float = Field(default=0.2, gt=0, le=1)
    mobile_limits: MobileLimits = Field(default_factory=MobileLimits)
    announce: AnnounceSettings = Field(default_factory=AnnounceSettings)
    notice: str = ""
    phone_retention_days: int = Field(default=90, ge=1)
    idempotency_retention_days: int = Field(default=1, ge=1)  # a day's keys, tickets' and cases'
    device_retention_days: int = Field(default=30, ge=1)  # device ids, per-IP and per-agent counts
    comment_retention_days: int = Field(default=365, ge=1)  # residents' free-text comments
    evaluation_window_seconds: int = Field(default=600, gt=0)
    feedback_days: int = Field(default=5, ge=1, le=60)  # working days to close a feedback item
    # Shapes appointment slots only; it never refuses a ticket, a case or a window action.
    opening_hours: list[list[str]] = Field(default_factory=_default_hours)
    calendar: CalendarOverrides = Field(default_factory=CalendarOverrides)
    appointments: AppointmentSettings = Field(default_factory=AppointmentSettings)
    pickup_window: int = Field(default=DEFAULT_PICKUP_WINDOW, ge=1)
    # 帮办代办窗口: where proxy, agent and home cases queue inside the hall.
    proxy_window: int = Field(default=DEFAULT_PROXY_WINDOW, ge=1)
    agent_daily_tickets: int = Field(default=20, ge=0)
    sms: SmsSettings = Field(default_factory=SmsSettings)  # 短信提醒 (docs/sms.md)

    @field_validator("opening_hours")
    @classmethod
    def _hours(cls, v: list[list[str]]) -> list[list[str]]:
        for span in v:
            if len(span) != 2 or not all(re.match(CLOCK, t) for t in span) or span[0] >= span[1]:
                raise ValueError(f"opening_hours: {span!r} must be [\"HH:MM\", \"HH:MM\"], start first")
        return v


class Department(_Strict):
    code: str
    name: str
    name_en: str = ""


class Service(_Strict):
    code: str
    name: str
    name_en: str = ""
    mean_service_seconds: int = Field(default=420, gt=0)
    icon: str | None = None  # a Tabler Icons outline name, e.g. "tree"

    @field_validator("icon")
    @classmethod
    def _icon(cls, v: str | None) -> str | None:
        return _check_icon(v)

    @field_validator("code")
    @classmethod
    def _code_shape(cls, v: str) -> str:
        if not SERVICE_CODE.match(v):
            raise ValueError(f"service code {v!r} must be a lowercase slug")
        return v


class Category(_Strict):
    code: str
    name: str
    name_en: str = ""
    icon: str | None = None  # a Tabler Icons outline name, e.g. "receipt-tax"
    services: list[Service]

    @field_validator("icon")
    @classmethod
    def _icon(cls, v: str | None) -> str | None:
        return _check_icon(v)

    @field_validator("code")
    @classmethod
    def _letter(cls, v: str) -> str:
        if not CATEGORY_CODE.match(v):
            raise ValueError(f"category code {v!r} must be one capital letter")
        return v


class Matter(_Strict):
    code: str
    name: str
    service: str
    department: str
    mode: MatterMode
    promised_days: int = Field(default=0, ge=0)
    materials: list[str] = Field(default_factory=list)
    handled_here: bool = True
    keywords: list[str] = Field(default_factory=list)


class Station(_Strict):
    """A village service station (村便民服务站) and its distance to the town hall."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9]{1,9}$")
    name: str = Field(min_length=1, max_length=64)
    distance_km: float | None = Field(default=None, ge=0, le=1000)


class Window(_Strict):
    number: int = Field(gt=0)
    name: str
    name_en: str = ""
    # Ordered tiers; an entry is a service code, a category letter, or "*" for everything.
    profile: list[list[str]]
    printer: str | None = None  # where this window prints case documents

    @field_validator("printer")
    @classmethod
    def _printer_url(cls, v: str | None) -> str | None:
        if v is not None:
            from printer.errors import PrinterError
            from printer.transport import parse_printer_url

            try:
                parse_printer_url(v)
            except PrinterError as exc:
                raise ValueError(f"printer: {exc}") from exc
        return v


class HallConfig(_Strict):
    hall: HallInfo
    settings: HallSettings = Field(default_factory=HallSettings)
    departments: list[Department]
    categories: list[Category]
    matters: list[Matter] = Field(default_factory=list)
    windows: list[Window]
    stations: list[Station] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> HallConfig:
        depts = {d.code for d in self.departments}
        cats = [c.code for c in self.categories]
        if len(set(cats)) != len(cats):
            raise ValueError("category codes must be unique")
        services = [s.code for c in self.categories for s in c.services]
        if len(set(services)) != len(services):
            raise ValueError("service codes must be unique")
        known = set(services)
        matter_codes = [m.code for m in self.matters]
        if len(set(matter_codes)) != len(matter_codes):
            raise ValueError("matter codes must be unique")
        for m in self.matters:
            if m.service not in known:
                raise ValueError(f"matter {m.code}: unknown service {m.service!r}")
            if m.department not in depts:
                raise ValueError(f"matter {m.code}: unknown department {m.department!r}")
        numbers = [w.number for w in self.windows]
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            raise ValueError("windows must be numbered 1..N without gaps")
        for w in self.windows:
            if not w.profile or not all(w.profile):
                raise ValueError(f"window {w.number}: profile needs at least one non-empty tier")
            for tier in w.profile:
                for entry in tier:
                    if entry != "*" and entry not in known and entry not in cats:
                        raise ValueError(f"window {w.number}: unknown profile entry {entry!r}")
        for name in ("pickup_window", "proxy_window"):
            number = getattr(self.settings, name)
            if name in self.settings.model_fields_set and number > len(numbers):
                raise ValueError(f"{name} {number}: the hall has {len(numbers)} windows")
        station_codes = [s.code for s in self.stations]
        if len(set(station_codes)) != len(station_codes):
            raise ValueError("station codes must be unique")
        for code in self.settings.mobile_limits.service_daily_cap:
            if code not in known:
                raise ValueError(f"service_daily_cap: unknown service {code!r}")
        return self

    def pickup_window(self) -> int:
        """Return where residents collect completed cases (the last window if the default is too high)."""
        return min(self.settings.pickup_window, len(self.windows))

    def proxy_window(self) -> int:
        """Return the 帮办代办 window where proxy, agent and home cases queue (capped like pickup)."""
        return min(self.settings.proxy_window, len(self.windows))

    def service_category(self) -> dict[str, str]:
        """Map each service code to its category letter."""
        return {s.code: c.code for c in self.categories for s in c.services}

    def services_by_code(self) -> dict[str, Service]:
        """Map each service code to its service."""
        return {s.code: s for c in self.categories for s in c.services}

    def window_tiers(self, number: int) -> list[list[str]]:
        """Resolve a window's profile into ordered tiers of service codes, without repeats."""
        window = next(w for w in self.windows if w.number == number)
        by_cat = {c.code: [s.code for s in c.services] for c in self.categories}
        every = [s.code for c in self.categories for s in c.services]
        seen: set[str] = set()
        tiers: list[list[str]] = []
        for tier in window.profile:
            codes: list[str] = []
            for entry in tier:
                expanded = every if entry == "*" else by_cat.get(entry, [entry])
                for code in expanded:
                    if code not in seen:
                        seen.add(code)
                        codes.append(code)
            if codes:
                tiers.append(codes)
        return tiers
