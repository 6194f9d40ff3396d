"""Printer status from DLE EOT replies (pure parsing)."""

from __future__ import annotations

from enum import StrEnum

DLE_EOT = b"\x10\x04"
# One request for each of the four status kinds; printers answer in real time, one byte each.
STATUS_QUERY = b"".join(DLE_EOT + bytes([n]) for n in (1, 2, 3, 4))


class PrinterStatus(StrEnum):
    """Printer state as the server's /api/devices/status expects it."""

    OK = "ok"
    PAPER_LOW = "paper_low"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"


STATUS_MESSAGES_ZH = {
    PrinterStatus.OK: "打印机正常",
    PrinterStatus.PAPER_LOW: "打印纸即将用完",
    PrinterStatus.PAPER_OUT: "打印机缺纸，请联系工作人员",
    PrinterStatus.COVER_OPEN: "打印机舱盖未关好，请联系工作人员",
    PrinterStatus.OFFLINE: "打印机离线，请联系工作人员",
}

# Bits per the ESC/POS DLE EOT reference (Epson TM series; most Chinese clones follow it).
_N1_OFFLINE = 0x08
_N2_COVER_OPEN = 0x04
_N2_PAPER_END_STOP = 0x20
_N2_ERROR = 0x40
_N3_ERRORS = 0x08 | 0x20 | 0x40  # autocutter, unrecoverable, auto-recoverable
_N4_NEAR_END = 0x0C
_N4_PAPER_END = 0x60


def _valid(byte: int) -> bool:
    # Every status byte has bit 4 set and bits 0 and 7 clear; anything else is not a status reply.
    return byte & 0x93 == 0x12


def parse_status(reply: bytes) -> tuple[PrinterStatus, str]:
    """Map the replies to DLE EOT 1, 2, 3, 4 (in that order) to a status and a detail."""
    if len(reply) < 4 or not all(_valid(b) for b in reply[:4]):
        return PrinterStatus.OFFLINE, f"no valid status reply ({reply[:8].hex() or 'nothing'})"
    n1, n2, n3, n4 = reply[:4]
    if n2 & _N2_COVER_OPEN:
        return PrinterStatus.COVER_OPEN, "cover open"
    if n2 & _N2_PAPER_END_STOP or n4 & _N4_PAPER_END:
        return PrinterStatus.PAPER_OUT, "paper end"
    if n3 & _N3_ERRORS or n2 & _N2_ERROR:
        return PrinterStatus.OFFLINE, f"printer error (n2={n2:#04x}, n3={n3:#04x})"
    if n1 & _N1_OFFLINE:
        return PrinterStatus.OFFLINE, "printer offline"
    if n4 & _N4_NEAR_END:
        return PrinterStatus.PAPER_LOW, "paper near end"
    return PrinterStatus.OK, ""


def status_bytes(status: PrinterStatus) -> dict[int, int]:
    """Return the byte a printer in this state answers to DLE EOT n, for n = 1..4."""
    base = 0x12
    n1, n2, n3, n4 = base, base, base, base
    if status is PrinterStatus.PAPER_LOW:
        n4 |= _N4_NEAR_END
    elif status is PrinterStatus.PAPER_OUT:
        n1 |= _N1_OFFLINE
        n2 |= _N2_PAPER_END_STOP
        n4 |= _N4_PAPER_END | _N4_NEAR_END
    elif status is PrinterStatus.COVER_OPEN:
        n1 |= _N1_OFFLINE
        n2 |= _N2_COVER_OPEN
    elif status is PrinterStatus.OFFLINE:
        n1 |= _N1_OFFLINE
        n2 |= _N2_ERROR
        n3 |= 0x20
    return {1: n1, 2: n2, 3: n3, 4: n4}
