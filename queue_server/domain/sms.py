"""SMS rules (短信提醒): message kinds, templates, quiet hours, retries and reminders; pure."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Protocol

from queue_server.domain.workdays import MAX_SCAN_DAYS, ONE_DAY


class SmsKind(StrEnum):
    AHEAD = "ahead"
    CALLED = "called"
    CASE_READY = "case_ready"
    APPOINTMENT = "appointment"


class SmsStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    LOGGED = "logged"
    DROPPED = "dropped"


# The params each kind carries, as API.md names them.
PARAMS: dict[SmsKind, tuple[str, ...]] = {
    SmsKind.AHEAD: ("number", "ahead"),
    SmsKind.CALLED: ("number", "window"),
    SmsKind.CASE_READY: ("case", "matter", "window"),
    SmsKind.APPOINTMENT: ("code", "service", "start"),
}

# Texts a county can submit for approval; the sign name 【…】 is the provider's to add.
DEFAULT_TEMPLATES: dict[SmsKind, str] = {
    SmsKind.AHEAD: "您前面还有 {ahead} 人，请回到大厅",
    SmsKind.CALLED: "您的号码 {number} 已到，请到 {window} 号窗口办理",
    SmsKind.CASE_READY: "您的办件 {case} 已办结，请到 {window} 号窗口领取",
    SmsKind.APPOINTMENT: "您预约了{start} {service}业务，预约码 {code}",
}


class SmsError(ValueError):
    """Raised for a malformed message: a missing param, a bad template or phone number."""


def placeholders(template: str) -> list[str]:
    """Return the {names} of a template text in the order they appear (none for a template id)."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise SmsError(f"短信模板格式不正确：{template!r} ({exc})") from exc


def template_problem(kind: SmsKind, template: str) -> str | None:
    """Tell what is wrong with a template for a kind (an unknown {name}), or None when it is fine."""
    try:
        names = placeholders(template)
    except SmsError as exc:
        return str(exc)
    unknown = [n for n in names if n not in PARAMS[kind]]
    if unknown:
        return f"短信模板 {kind.value} 中的 {{{unknown[0]}}} 不是可用的参数（可用：{'、'.join(PARAMS[kind])}）"
    return None


def param_order(kind: SmsKind) -> tuple[str, ...]:
    """Return the params a positional template ({1}, {2}…) takes, in the default text's order."""
    return tuple(placeholders(DEFAULT_TEMPLATES[kind]))


def check_params(kind: SmsKind, params: Mapping[str, object]) -> dict[str, str]:
    """Return a kind's params as strings, or raise SmsError when one is missing or unknown."""
    want = PARAMS[kind]
    missing = [k for k in want if k not in params]
    extra = [k for k in params if k not in want]
    if missing or extra:
        raise SmsError(f"短信 {kind.value} 的参数应为 {', '.join(want)}（缺 {missing}，多 {extra}）")
    return {k: str(params[k]) for k in want}


def ahead_params(number: str, ahead: int) -> dict[str, str]:
    """Return the params of an `ahead` message."""
    return {"number": number, "ahead": str(ahead)}


def called_params(number: str, window: int) -> dict[str, str]:
    """Return the params of a `called` message."""
    return {"number": number, "window": str(window)}


def case_ready_params(case: str, matter: str, window: int) -> dict[str, str]:
    """Return the params of a `case_ready` message: the case number, the matter's name, the pickup window."""
    return {"case": case, "matter": matter, "window": str(window)}


def appointment_params(code: str, service: str, start: str) -> dict[str, str]:
    """Return the params of an `appointment` message; start is as start_text says it."""
    return {"code": code, "service": service, "start": start}


def render(template: str, params: Mapping[str, object]) -> str:
    """Fill a template text with its params (a template id comes back unchanged)."""
    try:
        return template.format_map({k: str(v) for k, v in params.items()})
    except (KeyError, IndexError, ValueError) as exc:
        raise SmsError(f"短信模板 {template!r} 无法填写：{exc!r}") from exc


# ---- when to send ----------------------------------------------------------------------------


def parse_clock(value: str) -> time:
    """Parse "HH:MM" (00:00–23:59) into a time, or raise SmsError."""
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value or ""):
        raise SmsError(f"时间 {value!r} 应写成 HH:MM，例如 21:00")
    return time(int(value[:2]), int(value[3:]))


QuietHours = Sequence[str] | Sequence[time] | None


def quiet_span(quiet: QuietHours) -> tuple[time, time] | None:
    """Return quiet hours as (start, end) times from ["21:00", "08:00"]; None or equal ends mean none."""
    if not quiet:
        return None
    if len(quiet) != 2:
        raise SmsError("免打扰时段应为两个时间，例如 [\"21:00\", \"08:00\"]")
    start, end = (t if isinstance(t, time) else parse_clock(t) for t in quiet)
    return None if start == end else (start, end)


def in_quiet_hours(local: time, quiet: QuietHours) -> bool:
    """Tell whether a local time of day falls in [start, end), a span that may cross midnight."""
    span = quiet_span(quiet)
    if span is None:
        return False
    start, end = span
    if start < end:
        return start <= local < end
    return local >= start or local < end


def due_at(kind: SmsKind, now: datetime, quiet: QuietHours, tz: tzinfo) -> datetime | None:
    """Return when a message caused now should go: now, the end of quiet hours, or None (dropped).

    A `called` message in quiet hours is dropped: a call at 21:00 means nothing at 08:00.
    """
    local = now.astimezone(tz)
    if not in_quiet_hours(local.time(), quiet):
        return now
    if kind is SmsKind.CALLED:
        return None
    span = quiet_span(quiet)
    assert span is not None
    end = span[1]
    day = local.date() if local.time() < end else local.date() + ONE_DAY
    return datetime.combine(day, end, tzinfo=tz)


# A failed message is tried again after these delays (then every RETRY_CAP), for RETRY_FOR in all.
RETRY_FIRST = timedelta(seconds=3)
RETRY_CAP = timedelta(seconds=120)
RETRY_FOR = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """Return the wait before the next try after `attempts` tries: 3 s, 6 s, 12 s … at most 2 min."""
    if attempts < 1:
        raise SmsError("attempts counts the tries made so far and starts at 1")
    return min(RETRY_FIRST * (2 ** min(attempts - 1, 16)), RETRY_CAP)


def next_attempt(first_at: datetime, attempts: int, now: datetime) -> datetime | None:
    """Return when to try a failed message again, or None once 10 minutes have passed since the first try."""
    give_up = first_at + RETRY_FOR
    if now >= give_up:
        return None
    return min(now + retry_delay(attempts), give_up)


def ahead_crossed(ahead_at_issue: int, ahead_now: int, ahead_at: int) -> bool:
    """Tell whether a ticket issued with more than ahead_at ahead of it now has ahead_at or fewer."""
    return ahead_at_issue > ahead_at and ahead_now <= ahead_at


# ---- appointment reminders -------------------------------------------------------------------

REMINDER_TIME = time(16, 0)


class WorkingDays(Protocol):
    """Tell which days are working days (the hall's calendar)."""

    def is_working(self, day: date) -> bool:
        """Tell whether a day is a working day."""
        ...


def reminder_day(slot_day: date, cal: WorkingDays) -> date:
    """Return the last working day before a slot's day."""
    day = slot_day
    for _ in range(MAX_SCAN_DAYS):
        day -= ONE_DAY
        if cal.is_working(day):
            return day
    raise SmsError("十年内没有工作日")


def reminder_at(slot_start: datetime, cal: WorkingDays, tz: tzinfo, at: time = REMINDER_TIME) -> datetime:
    """Return 16:00 local on the working day before the slot."""
    return datetime.combine(reminder_day(slot_start.astimezone(tz).date(), cal), at, tzinfo=tz)


def reminder_due(booked_at: datetime, slot_start: datetime, cal: WorkingDays, tz: tzinfo) -> datetime | None:
    """Return when to remind of a booking, or None when it was made after its reminder time."""
    when = reminder_at(slot_start, cal, tz)
    return when if booked_at < when else None


_WEEKDAYS = "一二三四五六日"


def start_text(slot_start: datetime, sent_on: date, tz: tzinfo) -> str:
    """Say a slot's start as the message reads it: 「明天 9:30」, or 「12月7日（周一）9:30」 further off."""
    local = slot_start.astimezone(tz)
    clock = f"{local.hour}:{local.minute:02d}"
    if local.date() == sent_on + ONE_DAY:
        return f"明天 {clock}"
    return f"{local.month}月{local.day}日（周{_WEEKDAYS[local.weekday()]}）{clock}"
