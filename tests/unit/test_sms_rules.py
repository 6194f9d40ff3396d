"""The pure SMS rules: templates, phones, quiet hours, retries, the ahead rule and reminders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from queue_server.domain import sms
from queue_server.domain.sms import SmsKind

TZ = ZoneInfo("Asia/Shanghai")
QUIET = ["21:00", "08:00"]


def at(day: str, clock: str, tz: ZoneInfo = TZ) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz)


# ---- templates -------------------------------------------------------------------------------


def test_default_templates_render_the_texts_a_county_submits() -> None:
    t = sms.DEFAULT_TEMPLATES
    assert sms.render(t[SmsKind.CALLED], sms.called_params("A007", 5)) == "您的号码 A007 已到，请到 5 号窗口办理"
    assert sms.render(t[SmsKind.AHEAD], sms.ahead_params("A007", 3)) == "您前面还有 3 人，请回到大厅"
    assert (sms.render(t[SmsKind.CASE_READY], sms.case_ready_params("BJ20261201-0007", "社保卡补办", 18))
            == "您的办件 BJ20261201-0007 已办结，请到 18 号窗口领取")
    assert (sms.render(t[SmsKind.APPOINTMENT], sms.appointment_params("123456", "社保医保", "明天 9:30"))
            == "您预约了明天 9:30 社保医保业务，预约码 123456")


def test_no_default_template_carries_a_sign_name() -> None:
    assert not any("【" in text for text in sms.DEFAULT_TEMPLATES.values())


def test_every_default_template_uses_only_its_kind_params() -> None:
    for kind, text in sms.DEFAULT_TEMPLATES.items():
        assert sms.template_problem(kind, text) is None
        assert set(sms.placeholders(text)) <= set(sms.PARAMS[kind])


def test_a_template_with_an_unknown_param_is_named() -> None:
    problem = sms.template_problem(SmsKind.CALLED, "请到 {counter} 号窗口")
    assert problem is not None and "{counter}" in problem and "number" in problem


def test_a_template_id_has_no_placeholders_and_renders_as_itself() -> None:
    assert sms.placeholders("SMS_123456789") == []
    assert sms.template_problem(SmsKind.CALLED, "SMS_123456789") is None
    assert sms.render("1234567", {"number": "A007"}) == "1234567"


def test_a_broken_template_is_an_sms_error() -> None:
    assert sms.template_problem(SmsKind.CALLED, "您的号码 {number") is not None
    with pytest.raises(sms.SmsError):
        sms.render("{missing}", {})


def test_positional_order_follows_the_default_text() -> None:
    assert sms.param_order(SmsKind.CALLED) == ("number", "window")
    assert sms.param_order(SmsKind.AHEAD) == ("ahead",)
    assert sms.param_order(SmsKind.CASE_READY) == ("case", "window")
    assert sms.param_order(SmsKind.APPOINTMENT) == ("start", "service", "code")


def test_check_params_wants_exactly_the_kind_params_as_strings() -> None:
    assert sms.check_params(SmsKind.CALLED, {"number": "A007", "window": 5}) == {"number": "A007", "window": "5"}
    with pytest.raises(sms.SmsError, match="window"):
        sms.check_params(SmsKind.CALLED, {"number": "A007"})
    with pytest.raises(sms.SmsError, match="phone"):
        sms.check_params(SmsKind.CALLED, {"number": "A007", "window": 5, "phone": "13800001234"})


# ---- quiet hours -----------------------------------------------------------------------------


@pytest.mark.parametrize(("clock", "quiet"), [
    ("21:00", True), ("23:59", True), ("00:00", True), ("07:59", True),
    ("08:00", False), ("12:00", False), ("20:59", False),
])
def test_quiet_hours_across_midnight(clock: str, quiet: bool) -> None:
    assert sms.in_quiet_hours(time.fromisoformat(clock), QUIET) is quiet


@pytest.mark.parametrize(("clock", "quiet"), [("11:59", False), ("12:00", True), ("13:59", True), ("14:00", False)])
def test_quiet_hours_within_a_day(clock: str, quiet: bool) -> None:
    assert sms.in_quiet_hours(time.fromisoformat(clock), ["12:00", "14:00"]) is quiet


def test_no_quiet_hours_when_unset_or_empty() -> None:
    for quiet in (None, [], ["08:00", "08:00"]):
        assert not sms.in_quiet_hours(time(3, 0), quiet)
        now = at("2026-12-01", "03:00")
        assert sms.due_at(SmsKind.CALLED, now, quiet, TZ) == now


def test_a_bad_quiet_hour_is_refused() -> None:
    with pytest.raises(sms.SmsError, match="HH:MM"):
        sms.quiet_span(["21:00", "8:00"])
    with pytest.raises(sms.SmsError):
        sms.quiet_span(["21:00"])


def test_outside_quiet_hours_a_message_goes_now() -> None:
    now = at("2026-12-01", "10:15")
    for kind in SmsKind:
        assert sms.due_at(kind, now, QUIET, TZ) == now


def test_in_the_evening_a_message_waits_for_the_morning() -> None:
    due = sms.due_at(SmsKind.CASE_READY, at("2026-12-01", "21:30"), QUIET, TZ)
    assert due == at("2026-12-02", "08:00")


def test_after_midnight_a_message_waits_for_the_same_morning() -> None:
    due = sms.due_at(SmsKind.AHEAD, at("2026-12-02", "06:00"), QUIET, TZ)
    assert due == at("2026-12-02", "08:00")


def test_a_call_in_quiet_hours_is_dropped_not_delayed() -> None:
    assert sms.due_at(SmsKind.CALLED, at("2026-12-01", "21:00"), QUIET, TZ) is None
    assert sms.due_at(SmsKind.CALLED, at("2026-12-02", "07:59"), QUIET, TZ) is None


def test_quiet_hours_are_the_hall_local_time_whatever_now_zone() -> None:
    # 13:30 UTC is 21:30 in Shanghai.
    now = datetime(2026, 12, 1, 13, 30, tzinfo=ZoneInfo("UTC"))
    assert sms.due_at(SmsKind.CALLED, now, QUIET, TZ) is None
    assert sms.due_at(SmsKind.APPOINTMENT, now, QUIET, TZ) == at("2026-12-02", "08:00")


def test_quiet_hours_within_a_day_end_the_same_day() -> None:
    due = sms.due_at(SmsKind.CASE_READY, at("2026-12-01", "12:30"), ["12:00", "14:00"], TZ)
    assert due == at("2026-12-01", "14:00")


# ---- retries ---------------------------------------------------------------------------------


def test_the_first_retry_comes_within_five_seconds() -> None:
    first = at("2026-12-01", "10:00")
    nxt = sms.next_attempt(first, 1, first)
    assert nxt is not None and first < nxt <= first + timedelta(seconds=5)


def test_retries_back_off_up_to_a_cap() -> None:
    delays = [sms.retry_delay(n) for n in range(1, 12)]
    assert delays == sorted(delays)
    assert delays[1] > delays[0]
    assert max(delays) == sms.RETRY_CAP


def test_retries_stop_ten_minutes_after_the_first_attempt() -> None:
    first = at("2026-12-01", "10:00")
    now, attempts, tries = first, 1, [first]
    while (nxt := sms.next_attempt(first, attempts, now)) is not None:
        assert nxt > now
        now, attempts = nxt, attempts + 1
        tries.append(now)
    assert tries[-1] == first + timedelta(minutes=10)  # one last try at the deadline
    assert sms.next_attempt(first, attempts, first + timedelta(minutes=10, seconds=1)) is None
    assert 8 <= len(tries) <= 20


def test_a_retry_never_lands_past_the_deadline() -> None:
    first = at("2026-12-01", "10:00")
    late = first + timedelta(minutes=9, seconds=59)
    assert sms.next_attempt(first, 9, late) == first + timedelta(minutes=10)


def test_attempts_start_at_one() -> None:
    with pytest.raises(sms.SmsError):
        sms.retry_delay(0)


# ---- the ahead rule --------------------------------------------------------------------------


@pytest.mark.parametrize(("at_issue", "now", "expect"), [
    (10, 4, False),  # still more than 3 ahead
    (10, 3, True),   # first has 3
    (10, 0, True),   # jumped straight to the front
    (4, 3, True),
    (3, 3, False),   # issued with 3 ahead: never texted
    (2, 0, False),
    (0, 0, False),
])
def test_ahead_is_crossed_once_the_ticket_gets_close(at_issue: int, now: int, expect: bool) -> None:
    assert sms.ahead_crossed(at_issue, now, 3) is expect


# ---- appointment reminders -------------------------------------------------------------------


class Calendar:
    """Weekdays work, except the listed holidays; the listed workdays work too."""

    def __init__(self, holidays: frozenset[date] = frozenset(), workdays: frozenset[date] = frozenset()) -> None:
        self.holidays, self.workdays = holidays, workdays

    def is_working(self, day: date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


def test_a_tuesday_slot_is_reminded_on_monday_at_four() -> None:
    slot = at("2026-12-01", "09:30")  # a Tuesday
    assert sms.reminder_at(slot, Calendar(), TZ) == at("2026-11-30", "16:00")


def test_a_monday_slot_is_reminded_on_friday() -> None:
    slot = at("2026-12-07", "09:30")
    assert sms.reminder_at(slot, Calendar(), TZ) == at("2026-12-04", "16:00")


def test_holidays_are_skipped_and_a_make_up_saturday_counts() -> None:
    cal = Calendar(holidays=frozenset({date(2026, 12, 4)}), workdays=frozenset({date(2026, 12, 5)}))
    assert sms.reminder_at(at("2026-12-07", "09:30"), cal, TZ) == at("2026-12-05", "16:00")
    cal = Calendar(holidays=frozenset({date(2026, 12, 3), date(2026, 12, 4)}))
    assert sms.reminder_at(at("2026-12-07", "09:30"), cal, TZ) == at("2026-12-02", "16:00")


def test_a_booking_after_its_reminder_time_gets_none() -> None:
    slot = at("2026-12-01", "09:30")
    assert sms.reminder_due(at("2026-11-30", "10:00"), slot, Calendar(), TZ) == at("2026-11-30", "16:00")
    assert sms.reminder_due(at("2026-11-30", "16:00"), slot, Calendar(), TZ) is None
    assert sms.reminder_due(at("2026-12-01", "08:00"), slot, Calendar(), TZ) is None


def test_start_text_says_tomorrow_or_the_date() -> None:
    slot = at("2026-12-01", "09:30")
    assert sms.start_text(slot, date(2026, 11, 30), TZ) == "明天 9:30"
    assert sms.start_text(at("2026-12-07", "14:00"), date(2026, 12, 4), TZ) == "12月7日（周一）14:00"


def test_a_calendar_without_working_days_is_an_error() -> None:
    class Never:
        def is_working(self, day: date) -> bool:
            return False

    with pytest.raises(sms.SmsError):
        sms.reminder_day(date(2026, 12, 1), Never())
