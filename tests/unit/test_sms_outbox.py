"""Who is texted at issue, the delivery rate, what wakes the sender, and how a try is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine

from queue_server.core.events import Envelope, EventBase
from queue_server.domain.model import Channel, WindowStatus
from queue_server.domain.sms import SmsKind, SmsStatus
from queue_server.sms.base import SendResult
from queue_server.sms.models import SmsCounts, SmsMessage
from queue_server.sms.outbox import Claimed, record
from queue_server.sms.queries import rate
from queue_server.sms.sender import SmsSender
from queue_server.tickets.events import TicketCalled, TicketIssued, TicketRecalled
from queue_server.tickets.models import TicketCreate
from queue_server.tickets.service.issuing import wants_sms
from queue_server.windows.events import WindowOpened

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
PHONE = "13812341234"


@pytest.mark.parametrize(("channel", "phone", "asked", "texted"), [
    (Channel.KIOSK, PHONE, None, True),
    (Channel.COUNTER, PHONE, None, True),
    (Channel.KIOSK, None, True, False),
    (Channel.MOBILE, PHONE, None, False),
    (Channel.MOBILE, PHONE, False, False),
    (Channel.MOBILE, PHONE, True, True),
    (Channel.MOBILE, None, True, False),
])
def test_a_new_ticket_is_texted_with_a_phone_and_a_phone_ticket_only_when_it_asked(
        channel: Channel, phone: str | None, asked: bool | None, texted: bool) -> None:
    body = TicketCreate(service="invoice", channel=channel, phone=phone, sms=asked)
    assert wants_sms(body) is texted


def test_the_delivery_rate_counts_sent_against_failed_only() -> None:
    assert rate(SmsCounts(sent=3, failed=1, logged=50, dropped=9)) == 75.0
    assert rate(SmsCounts(sent=2, failed=1)) == 66.7
    assert rate(SmsCounts(logged=5, dropped=2, queued=1)) is None


def _envelope(event: object, seq: int) -> Envelope:
    return Envelope(seq, event, "{}")  # type: ignore[arg-type]


def test_a_call_wakes_the_sender_and_moves_queues_while_an_issue_or_a_recall_does_neither() -> None:
    sender = SmsSender(create_engine("sqlite://"), dict, lambda: NOW)
    sender.saw("puan", [_envelope(TicketIssued(channel=Channel.KIOSK), 1), _envelope(TicketRecalled(), 2),
                        _envelope(EventBase(type="help.requested"), 3)])
    assert not sender._wake.is_set() and not sender._ahead_wake.is_set()
    sender.saw("puan", [_envelope(WindowOpened(window=3, status=WindowStatus.OPEN), 3)])
    assert sender._ahead_wake.is_set() and "puan" in sender._ahead_dirty
    sender.saw("puan", [_envelope(TicketCalled(window=3), 4)])
    assert sender._wake.is_set()


class _Session:
    """Just enough of a Session for record(): get() by id."""

    def __init__(self, row: SmsMessage) -> None:
        self.row = row

    def get(self, _model: object, key: str) -> SmsMessage | None:
        return self.row if key == self.row.id else None


def _claimed(attempts: int = 1) -> tuple[SmsMessage, Claimed]:
    row = SmsMessage(id="m1", hall="puan", kind=SmsKind.CALLED, subject="7", phone=PHONE, template="t",
                     params="{}", status=SmsStatus.QUEUED, attempts=attempts, created_at=NOW,
                     first_try_at=NOW, next_at=NOW + timedelta(seconds=30))
    return row, Claimed(id="m1", hall="puan", kind=SmsKind.CALLED, phone=PHONE, template="t",
                        attempts=attempts, first_try_at=NOW)


def test_a_sent_try_is_recorded_with_its_time_and_a_failed_one_is_due_again_within_5_s() -> None:
    row, message = _claimed()
    record(_Session(row), message, SendResult.sent(), NOW, retry=True)  # type: ignore[arg-type]
    assert (row.status, row.sent_at, row.next_at) == (SmsStatus.SENT, NOW, None)
    row, message = _claimed()
    record(_Session(row), message, SendResult.failed("HTTP 503: busy"), NOW)  # type: ignore[arg-type]
    assert row.status == SmsStatus.QUEUED and row.reason == "HTTP 503: busy"
    assert row.next_at is not None and timedelta(0) < row.next_at - NOW <= timedelta(seconds=5)


def test_a_failure_ten_minutes_after_the_first_try_or_a_test_message_fails_for_good() -> None:
    row, message = _claimed(attempts=9)
    later = NOW + timedelta(minutes=10)
    record(_Session(row), message, SendResult.failed("timeout"), later)  # type: ignore[arg-type]
    assert (row.status, row.next_at, row.reason) == (SmsStatus.FAILED, None, "timeout")
    row, message = _claimed()
    record(_Session(row), message, SendResult.failed("no"), NOW, retry=False)  # type: ignore[arg-type]
    assert row.status == SmsStatus.FAILED


def test_a_try_whose_claim_was_overtaken_records_nothing() -> None:
    row, message = _claimed(attempts=1)
    row.attempts = 2  # another try claimed it after the lease ran out
    assert record(_Session(row), message, SendResult.sent(), NOW) is None  # type: ignore[arg-type]
    assert row.status == SmsStatus.QUEUED and row.sent_at is None
