"""A clock a test moves: the live server's runtime takes it as its time source."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.support.live import LiveServer

TZ = ZoneInfo("Asia/Shanghai")
DEFAULT = "2026-12-01 10:00"  # a Tuesday


class MovableClock:
    """A clock a test sets to local hall times; give it to the live server's runtime."""

    def __init__(self, local: str = DEFAULT) -> None:
        self.now = self.at(local)

    @staticmethod
    def at(local: str) -> datetime:
        """Return an aware instant for a local hall time 'YYYY-MM-DD HH:MM'."""
        return datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=TZ).astimezone(UTC)

    def set(self, local: str) -> None:
        """Move to a local hall time."""
        self.now = self.at(local)

    def __call__(self) -> datetime:
        return self.now


def hold_clock(live: LiveServer, local: str = DEFAULT) -> MovableClock:
    """Give a live server a clock the test moves."""
    clock = MovableClock(local)
    live.runtime.clock = clock
    return clock
