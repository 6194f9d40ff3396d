"""DLE EOT reply parsing."""

from __future__ import annotations

import pytest

from printer.status import STATUS_QUERY, PrinterStatus, parse_status, status_bytes


def reply(n1: int = 0x12, n2: int = 0x12, n3: int = 0x12, n4: int = 0x12) -> bytes:
    return bytes([n1, n2, n3, n4])


def test_query_asks_for_all_four_status_kinds() -> None:
    assert STATUS_QUERY == b"\x10\x04\x01\x10\x04\x02\x10\x04\x03\x10\x04\x04"


@pytest.mark.parametrize(
    "raw, expected",
    [
        (reply(), PrinterStatus.OK),
        (reply(n4=0x1E), PrinterStatus.PAPER_LOW),
        (reply(n1=0x1A, n2=0x32, n4=0x72), PrinterStatus.PAPER_OUT),
        (reply(n4=0x72), PrinterStatus.PAPER_OUT),  # sensor says end before printing stops
        (reply(n1=0x1A, n2=0x16), PrinterStatus.COVER_OPEN),
        (reply(n1=0x1A, n2=0x16, n4=0x72), PrinterStatus.COVER_OPEN),  # cover first: fix it first
        (reply(n1=0x1A), PrinterStatus.OFFLINE),
        (reply(n2=0x52, n3=0x1A), PrinterStatus.OFFLINE),  # autocutter error
    ],
)
def test_status_bits_map_to_states(raw: bytes, expected: PrinterStatus) -> None:
    assert parse_status(raw)[0] is expected


@pytest.mark.parametrize("raw", [b"", b"\x12", b"\x12\x12\x12", b"\xff\xff\xff\xff", b"OK\r\n"])
def test_missing_or_garbled_replies_mean_offline(raw: bytes) -> None:
    status, detail = parse_status(raw)
    assert status is PrinterStatus.OFFLINE
    assert "no valid status reply" in detail


@pytest.mark.parametrize("status", list(PrinterStatus))
def test_emulated_status_bytes_parse_back_to_the_same_status(status: PrinterStatus) -> None:
    answers = status_bytes(status)
    assert parse_status(bytes(answers[n] for n in (1, 2, 3, 4)))[0] is status


def test_status_values_match_the_device_status_api() -> None:
    assert {s.value for s in PrinterStatus} == {
        "ok", "paper_low", "paper_out", "cover_open", "offline"
    }
