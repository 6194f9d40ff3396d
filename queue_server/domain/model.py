"""Domain vocabulary: statuses, channels, priorities and the shapes the core reasons about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


OPEN_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)
# A user who holds their role in every hall of the county (a county manager or admin).
COUNTY_WIDE = "*"
# A hall's code: what its URLs carry (/h/{code}/…).
HALL_CODE = r"^[a-z0-9-]{2,32}$"


class Channel(StrEnum):
    KIOSK = "kiosk"
    MOBILE = "mobile"
    COUNTER = "counter"
    AGENT = "agent"


class Priority(StrEnum):
    ELDERLY = "elderly"
    DISABLED = "disabled"
    VETERAN = "veteran"
    PREGNANT = "pregnant"


class Outcome(StrEnum):
    DONE = "done"
    DEFERRED = "deferred"
    PROXY = "proxy"
    INCOMPLETE = "incomplete"


class Role(StrEnum):
    CLERK = "clerk"
    MANAGER = "manager"
    ADMIN = "admin"
    AGENT = "agent"  # 代办员: a village station's proxy agent


class DeviceKind(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
    PAD = "pad"
    PRINT_AGENT = "print_agent"  # prints a county server's window documents in the hall


class GradeSource(StrEnum):
    PAD = "pad"
    MOBILE = "mobile"
    STAFF = "staff"


class MobileEntry(StrEnum):
    ROTATING = "rotating"
    OPEN = "open"
    OFF = "off"


class MatterMode(StrEnum):
    ONSITE = "onsite"
    DEFERRED = "deferred"
    PROXY = "proxy"


class PauseReason(StrEnum):
    """Pause reasons a clerk picks from a list; only these may be shown to the public."""

    LUNCH = "午休"
    ERRAND = "外出办事"
    MEETING = "开会"
    AWAY = "临时离开"
    FAULT = "设备故障"


class WindowStatus(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class CaseStatus(StrEnum):
    ACCEPTED = "accepted"
    PROCESSING = "processing"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    DELIVERED = "delivered"
    WITHDRAWN = "withdrawn"


OPEN_CASE_STATUSES = (CaseStatus.ACCEPTED, CaseStatus.PROCESSING, CaseStatus.SUSPENDED)


class CaseChannel(StrEnum):
    WINDOW = "window"
    AGENT = "agent"
    HOME = "home"


class CaseResult(StrEnum):
    APPROVED = "approved"
    REFUSED = "refused"


class Delivery(StrEnum):
    PICKUP = "pickup"
    MAIL = "mail"
    AGENT = "agent"


class HomeGroup(StrEnum):
    ELDERLY = "elderly"
    DISABLED = "disabled"
    SERIOUSLY_ILL = "seriously_ill"
    LEFT_BEHIND = "left_behind"
    HARDSHIP = "hardship"


class DocumentKind(StrEnum):
    ACCEPTANCE = "acceptance"
    NOTICE = "notice"
    COMPLETION = "completion"


class FeedbackKind(StrEnum):
    BAD_GRADE = "bad_grade"  # 差评: a grade of 1 or 2
    CANNOT_DO = "cannot_do"  # 「办不成事」反映


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    USED = "used"  # checked in at the kiosk or the counter: a ticket carries it
    CANCELLED = "cancelled"
    MISSED = "missed"  # not used by its slot's end (爽约)


class FeedbackStatus(StrEnum):
    OPEN = "open"
    VISITED = "visited"  # 回访
    RECTIFIED = "rectified"  # 整改
    CLOSED = "closed"  # 反馈


class VisitMethod(StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"


@dataclass(frozen=True, slots=True)
class QueuedTicket:
    """A waiting ticket as the routing policy sees it."""

    id: int
    number: str
    service: str
    issued_at: datetime  # the resident's place; a transfer keeps it
    priority: Priority | None = None
    designated_window: int | None = None
    bonus_seconds: int = 0  # a checked-in appointment's extra effective wait, on top of priority


@dataclass(frozen=True, slots=True)
class WindowProfile:
    """A window as the routing policy sees it: its number and ordered tiers of services."""

    number: int
    tiers: tuple[frozenset[str], ...]

    @classmethod
    def of(cls, number: int, tiers: list[list[str]]) -> WindowProfile:
        """Build a profile from lists of service codes."""
        return cls(number, tuple(frozenset(t) for t in tiers))

    def serves(self, service: str) -> bool:
        """Tell whether any tier holds the service."""
        return any(service in tier for tier in self.tiers)
