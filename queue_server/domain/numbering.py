"""Service days and ticket numbers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def parse_rollover(text: str) -> time:
    """Parse an "HH:MM" rollover setting."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def service_day(at: datetime, tz: ZoneInfo, rollover: time) -> date:
    """Return the service day an instant belongs to, in the hall's timezone."""
    if at.tzinfo is None:
        raise ValueError("service_day needs an aware datetime")
    local = at.astimezone(tz)
    day = local.date()
    return day - timedelta(days=1) if local.time() < rollover else day


def day_start(day: date, tz: ZoneInfo, rollover: time) -> datetime:
    """Return the instant a service day begins."""
    return datetime.combine(day, rollover, tzinfo=tz)


def format_number(category: str, n: int) -> str:
    """Format a ticket number such as A007; widen past 999 rather than wrap."""
    if n < 1:
        raise ValueError("ticket numbers start at 1")
    return f"{category}{n:03d}"
