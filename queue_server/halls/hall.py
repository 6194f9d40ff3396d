"""The hall as the server runs it: configuration plus the lookups derived from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from queue_server.calendar.workcalendar import CountyCalendar, WorkCalendar
from queue_server.domain.model import WindowProfile
from queue_server.domain.numbering import parse_rollover, service_day
from queue_server.hallconfig.schema import Category, Department, HallConfig, Matter, Service


@dataclass
class Hall:
    """A hall's configuration with its derived lookups."""

    config: HallConfig
    secret: bytes
    county: CountyCalendar | None = None  # the county's announced years, shared by every hall
    tz: ZoneInfo = field(init=False)
    rollover: time = field(init=False)
    profiles: dict[int, WindowProfile] = field(init=False)
    services: dict[str, Service] = field(init=False)
    categories: dict[str, Category] = field(init=False)
    departments: dict[str, Department] = field(init=False)
    service_category: dict[str, str] = field(init=False)
    matters_by_service: dict[str, list[Matter]] = field(init=False)
    windows_by_service: dict[str, list[int]] = field(init=False)
    first_tier_windows: dict[str, list[int]] = field(init=False)  # where to look first
    matters: dict[str, Matter] = field(init=False)
    calendar: WorkCalendar = field(init=False)

    def __post_init__(self) -> None:
        cfg = self.config
        self.tz = ZoneInfo(cfg.hall.timezone)
        self.rollover = parse_rollover(cfg.hall.rollover)
        self.profiles = {
            w.number: WindowProfile.of(w.number, cfg.window_tiers(w.number)) for w in cfg.windows
        }
        self.services = cfg.services_by_code()
        self.categories = {c.code: c for c in cfg.categories}
        self.departments = {d.code: d for d in cfg.departments}
        self.service_category = cfg.service_category()
        self.matters_by_service = {}
        for m in cfg.matters:
            self.matters_by_service.setdefault(m.service, []).append(m)
        self.matters = {m.code: m for m in cfg.matters}
        overrides = cfg.settings.calendar
        self.calendar = WorkCalendar(overrides.extra_holidays, overrides.extra_workdays, county=self.county)
        self.windows_by_service = {
            code: [n for n, p in sorted(self.profiles.items()) if p.serves(code)]
            for code in self.services
        }
        self.first_tier_windows = {
            code: [n for n, p in sorted(self.profiles.items()) if p.tiers and code in p.tiers[0]]
            for code in self.services
        }

    @property
    def code(self) -> str:
        """Return the hall code."""
        return self.config.hall.code

    @property
    def bonus(self) -> timedelta:
        """Return the priority bonus."""
        return timedelta(seconds=self.config.settings.priority_bonus_seconds)

    def day(self, at: datetime) -> date:
        """Return the service day of an instant."""
        return service_day(at, self.tz, self.rollover)

    def local_date(self, at: datetime) -> date:
        """Return the calendar date of an instant in the hall's timezone."""
        return at.astimezone(self.tz).date()

    def window_name(self, number: int) -> str:
        """Return a window's name."""
        return self.config.windows[number - 1].name

    def mean_seconds(self, service: str) -> float:
        """Return the configured handling time of a service."""
        svc = self.services.get(service)
        return float(svc.mean_service_seconds) if svc else 420.0

    def local_iso(self, at: datetime | None) -> str | None:
        """Format an instant as ISO 8601 in the hall's timezone."""
        return at.astimezone(self.tz).isoformat() if at else None
