"""Appointment slots from opening hours, the working-day calendar and the serving windows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from queue_server.calendar.workcalendar import WorkCalendar
from queue_server.domain.appointments import (
    CheckIn,
    Slot,
    check_in,
    serving_windows,
    sessions_on,
    slot_capacity,
    slots_on,
)
from queue_server.domain.model import WindowProfile
from queue_server.hallconfig.loader import bundled_yaml, parse
from queue_server.halls.hall import Hall

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()
HOURS = [["09:00", "12:00"], ["13:30", "17:30"]]
D = date.fromisoformat


def _slots(day: date, today: date, extra: list[tuple[date, str, str]] | None = None,
           capacity: int = 2, days_ahead: int = 7) -> list[Slot]:
    sessions = sessions_on(day, HOURS, extra or [], CAL)
    return slots_on(day, today=today, days_ahead=days_ahead, slot_minutes=30, sessions=sessions,
                    capacity=capacity, tz=TZ)


def test_a_working_day_has_thirty_minute_slots_inside_opening_hours() -> None:
    slots = _slots(D("2025-10-09"), today=D("2025-10-08"))  # a Thursday after National Day
    assert len(slots) == 6 + 8
    assert slots[0].start == datetime(2025, 10, 9, 9, 0, tzinfo=TZ)
    assert slots[5].end == datetime(2025, 10, 9, 12, 0, tzinfo=TZ)
    assert slots[6].start == datetime(2025, 10, 9, 13, 30, tzinfo=TZ)
    assert slots[-1].end == datetime(2025, 10, 9, 17, 30, tzinfo=TZ)
    assert all(s.end - s.start == timedelta(minutes=30) and s.capacity == 2 for s in slots)


def test_an_adjusted_working_saturday_has_slots() -> None:
    # Saturday 11 October 2025 is worked (调休) after the National Day week.
    assert len(_slots(D("2025-10-11"), today=D("2025-10-10"))) == 14


def test_an_ordinary_saturday_and_a_holiday_have_no_slots() -> None:
    assert _slots(D("2025-10-18"), today=D("2025-10-17")) == []
    assert _slots(D("2025-10-01"), today=D("2025-09-30")) == []  # 国庆节


def test_an_extra_session_adds_off_hours_slots_marked_extra() -> None:
    extra = [(D("2025-10-18"), "09:00", "11:00")]
    slots = _slots(D("2025-10-18"), today=D("2025-10-17"), extra=extra)
    assert [s.start.hour * 60 + s.start.minute for s in slots] == [540, 570, 600, 630]
    assert all(s.extra for s in slots)
    # On a working day an evening session is added after the ordinary slots.
    evening = _slots(D("2025-10-09"), today=D("2025-10-08"), extra=[(D("2025-10-09"), "18:00", "19:00")])
    assert len(evening) == 16 and evening[-1].extra and not evening[0].extra


def test_today_and_days_beyond_the_range_have_no_slots() -> None:
    assert _slots(D("2025-10-09"), today=D("2025-10-09")) == []
    assert _slots(D("2025-10-17"), today=D("2025-10-09"), days_ahead=7) == []
    assert _slots(D("2025-10-16"), today=D("2025-10-09"), days_ahead=7) != []


def test_capacity_is_the_share_of_the_serving_windows_at_least_one() -> None:
    # 30 minutes at 420 s a resident: one window handles 4.29, seven handle 30.
    assert slot_capacity(slot_minutes=30, windows=1, mean_seconds=420, share=0.5) == 2
    assert slot_capacity(slot_minutes=30, windows=7, mean_seconds=420, share=0.5) == 15
    assert slot_capacity(slot_minutes=30, windows=1, mean_seconds=3600, share=0.5) == 1
    assert slot_capacity(slot_minutes=30, windows=0, mean_seconds=420, share=0.5) == 0


def test_serving_windows_split_comprehensive_windows_between_their_services() -> None:
    dedicated = WindowProfile.of(1, [["tax"], ["*"]])
    comprehensive = [WindowProfile.of(n, [["tax", "a", "b", "c"]]) for n in (2, 3)]
    assert serving_windows([dedicated], "tax") == 1
    assert serving_windows([dedicated, *comprehensive], "tax") == 1.5
    assert serving_windows([dedicated, *comprehensive], "a") == 0.5  # the overflow tier counts nothing
    seven = [WindowProfile.of(n, [["tax"]]) for n in range(1, 8)]
    assert slot_capacity(slot_minutes=30, windows=serving_windows(seven, "tax"), mean_seconds=420,
                         share=0.5) == 15


def test_the_default_hall_offers_slots_with_its_windows() -> None:
    hall = Hall(parse(bundled_yaml()), b"k" * 32)
    # The services' window time adds up to the hall's 18 windows, so booking shares never overlap.
    total = sum(serving_windows(hall.profiles.values(), code) for code in hall.services)
    assert abs(total - 18) < 1e-9
    settings = hall.config.settings.appointments
    assert settings.enabled and settings.days_ahead == 7 and settings.bonus_seconds == 900
    assert settings.extra_sessions == []


def test_check_in_runs_from_thirty_minutes_before_the_slot_to_its_end() -> None:
    start = datetime(2025, 10, 9, 10, 0, tzinfo=TZ)
    end = start + timedelta(minutes=30)
    assert check_in(start, end, "a", "a", start - timedelta(minutes=31)) == CheckIn.TOO_EARLY
    assert check_in(start, end, "a", "a", start - timedelta(minutes=29)) == CheckIn.OK
    assert check_in(start, end, "a", "a", end) == CheckIn.OK
    assert check_in(start, end, "a", "a", end + timedelta(seconds=1)) == CheckIn.TOO_LATE
    assert check_in(start, end, "a", "b", start) == CheckIn.WRONG_SERVICE
