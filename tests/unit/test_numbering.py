"""Service days and ticket numbers in the hall's timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from queue_server.domain.numbering import format_number, service_day
from queue_server.domain.passes import check_pass, make_pass

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_service_day_follows_local_midnight_not_utc() -> None:
    # 23:59 in Shanghai is 15:59 UTC the same date; 00:01 is 16:01 UTC the previous UTC date.
    before = datetime(2026, 5, 1, 23, 59, tzinfo=SHANGHAI).astimezone(UTC)
    after = datetime(2026, 5, 2, 0, 1, tzinfo=SHANGHAI).astimezone(UTC)
    assert service_day(before, SHANGHAI, time(0, 0)) == date(2026, 5, 1)
    assert service_day(after, SHANGHAI, time(0, 0)) == date(2026, 5, 2)
    assert after.date() == date(2026, 5, 1)  # the UTC date would have been wrong


def test_a_later_rollover_keeps_early_hours_on_the_previous_day() -> None:
    at = datetime(2026, 5, 2, 2, 30, tzinfo=SHANGHAI)
    assert service_day(at, SHANGHAI, time(3, 0)) == date(2026, 5, 1)
    assert service_day(at, SHANGHAI, time(0, 0)) == date(2026, 5, 2)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        service_day(datetime(2026, 5, 2, 1, 0), SHANGHAI, time(0, 0))


def test_numbers_are_zero_padded_and_widen_past_999() -> None:
    assert format_number("A", 7) == "A007"
    assert format_number("H", 1000) == "H1000"
    with pytest.raises(ValueError):
        format_number("A", 0)


def test_hall_pass_is_accepted_for_current_and_previous_bucket_only() -> None:
    secret, at = b"k", datetime(2026, 5, 2, 9, 0, 30, tzinfo=UTC)
    token, expires = make_pass(secret, "puan", at, 60)
    assert check_pass(secret, "puan", token, at, 60)
    assert check_pass(secret, "puan", token, at.replace(minute=1), 60)
    assert not check_pass(secret, "puan", token, at.replace(minute=2), 60)
    assert expires == datetime(2026, 5, 2, 9, 2, tzinfo=UTC)
    assert not check_pass(b"other", "puan", token, at, 60)
    assert not check_pass(secret, "other-hall", token, at, 60)
    assert not check_pass(secret, "puan", token[:-1] + ("A" if token[-1] != "A" else "B"), at, 60)
    assert not check_pass(secret, "puan", "garbage", at, 60)
    assert not check_pass(secret, "puan", "².abc", at, 60)
    assert not check_pass(secret, "puan", token.split(".")[0] + ".令牌", at, 60)
