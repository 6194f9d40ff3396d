"""Appointment slots, codes and check-in rules; time and the calendar are passed in, nothing is read."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from queue_server.domain.model import WindowProfile
from queue_server.domain.workdays import WorkingCalendar

CHECK_IN_EARLY = timedelta(minutes=30)
NO_SHOW_DAYS = 30


class CheckIn(StrEnum):
    """Why a code may or may not be checked in now."""

    OK = "ok"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    WRONG_SERVICE = "wrong_service"


@dataclass(frozen=True, slots=True)
class Session:
    """A span of a day in which appointments can be booked (local clock times)."""

    start: time
    end: time
    extra: bool = False  # an off-hours session: only appointments are served in it


@dataclass(frozen=True, slots=True)
class Slot:
    """One bookable slot: its instants (aware) and how many residents it takes."""

    start: datetime
    end: datetime
    capacity: int
    extra: bool = False


def parse_clock(text: str) -> time:
    """Parse an HH:MM clock time."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def bookable_days(today: date, days_ahead: int) -> tuple[date, date]:
    """Return the first and last date that can be booked: tomorrow up to days_ahead ahead."""
    return today + timedelta(days=1), today + timedelta(days=days_ahead)


def sessions_on(
    day: date,
    opening_hours: Sequence[Sequence[str]],
    extra: Iterable[tuple[date, str, str]],
    cal: WorkingCalendar,
) -> list[Session]:
    """Return the bookable sessions of a day: opening hours on working days, plus extra sessions."""
    out = [Session(parse_clock(a), parse_clock(b)) for a, b in opening_hours] if cal.is_working(day) else []
    out += [Session(parse_clock(a), parse_clock(b), True) for d, a, b in extra if d == day]
    return sorted(out, key=lambda s: (s.start, s.end))


def serving_windows(profiles: Iterable[WindowProfile], service: str) -> float:
    """Return how many windows' worth of time a service gets: first-tier windows, split evenly.

    A dedicated window counts 1; a comprehensive window with 22 services in its first tier counts
    1/22 to each. Overflow tiers count nothing, so the services' shares add up to the hall, and
    booking never promises the same window time to every service at once.
    """
    return sum(1 / len(p.tiers[0]) for p in profiles if p.tiers and service in p.tiers[0])


def slot_capacity(*, slot_minutes: int, windows: float, mean_seconds: float, share: float) -> int:
    """Return a slot's capacity: the share of what the serving windows handle in it, at least 1."""
    if windows <= 0:
        return 0
    handled = windows * slot_minutes * 60 / max(mean_seconds, 1.0)
    return max(1, math.floor(share * handled + 1e-9))


def slots_on(
    day: date,
    *,
    today: date,
    days_ahead: int,
    slot_minutes: int,
    sessions: Sequence[Session],
    capacity: int,
    tz: ZoneInfo,
) -> list[Slot]:
    """Return a day's slots; a day outside tomorrow..days_ahead, or a service nobody serves, has none."""
    first, last = bookable_days(today, days_ahead)
    if not first <= day <= last or capacity <= 0:
        return []
    length = timedelta(minutes=slot_minutes)
    slots: list[Slot] = []
    for s in sessions:
        start = datetime.combine(day, s.start, tz)
        end = datetime.combine(day, s.end, tz)
        while start + length <= end:
            if not slots or start >= slots[-1].end:  # overlapping sessions never double a slot
                slots.append(Slot(start, start + length, capacity, s.extra))
            start += length
    return slots


def check_in(start: datetime, end: datetime, booked_service: str, service: str,
             now: datetime) -> CheckIn:
    """Tell whether an appointment may be checked in now for this service."""
    if booked_service != service:
        return CheckIn.WRONG_SERVICE
    if now < start - CHECK_IN_EARLY:
        return CheckIn.TOO_EARLY
    if now > end:
        return CheckIn.TOO_LATE
    return CheckIn.OK


def is_missed(end: datetime, now: datetime) -> bool:
    """Tell whether a booked appointment's slot is over, so it can no longer be used."""
    return now > end


def format_code(n: int) -> str:
    """Return a 6-digit check-in code."""
    return f"{n % 1_000_000:06d}"
