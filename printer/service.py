"""High-level printing for the kiosk: check status, render, send."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from printer.documents import Document, render_document
from printer.errors import PrinterFault, PrinterUnreachable
from printer.layout import render_receipt
from printer.profile import PrinterProfile
from printer.receipt import Receipt
from printer.settings import PrinterSettings
from printer.status import PrinterStatus
from printer.transport import PrinterTarget, Transport, open_transport, parse_printer_url

# States in which a printer would swallow or mangle a receipt.
BLOCKING = frozenset({PrinterStatus.PAPER_OUT, PrinterStatus.COVER_OPEN, PrinterStatus.OFFLINE})


@dataclass(frozen=True)
class StatusReport:
    """A printer's status plus a technical detail for logs and the server."""

    status: PrinterStatus
    detail: str = ""


def _target(url: str | PrinterTarget, settings: PrinterSettings) -> PrinterTarget:
    if isinstance(url, PrinterTarget):
        return url
    return parse_printer_url(url, settings.default_profile())


def check_status(
    url: str | PrinterTarget,
    timeout: float = 3.0,
    *,
    transport: Transport | None = None,
) -> StatusReport:
    """Ask the printer for its status; an unreachable or silent printer is offline."""
    if transport is None:
        target = url if isinstance(url, PrinterTarget) else parse_printer_url(url)
        transport = open_transport(target, timeout)
    t = transport
    try:
        status, detail = t.query_status()
    except PrinterUnreachable as exc:
        return StatusReport(PrinterStatus.OFFLINE, str(exc))
    return StatusReport(status, detail)


def print_receipt(
    receipt: Receipt,
    url: str | PrinterTarget | None = None,
    settings: PrinterSettings | None = None,
    *,
    transport: Transport | None = None,
) -> StatusReport:
    """Print a receipt, refusing early with PrinterFault if the printer cannot print.

    Returns the status seen before printing (ok, or paper_low for the kiosk to report).
    Raises PrinterUnreachable, PrinterWriteFailed or PrinterFault.
    """
    return _print(lambda profile: render_receipt(receipt, profile), url, settings, transport)


def print_document(
    document: Document,
    url: str | PrinterTarget | None = None,
    settings: PrinterSettings | None = None,
    *,
    transport: Transport | None = None,
) -> StatusReport:
    """Print a case document (受理回执, 一次性告知书, 办结通知) the way print_receipt prints a ticket."""
    return _print(lambda profile: render_document(document, profile), url, settings, transport)


def _print(
    render: Callable[[PrinterProfile], bytes],
    url: str | PrinterTarget | None,
    settings: PrinterSettings | None,
    transport: Transport | None,
) -> StatusReport:
    settings = settings or PrinterSettings()
    target = _target(url or settings.url, settings)
    t = transport or open_transport(target, settings.timeout_seconds)
    report = StatusReport(PrinterStatus.OK, "status not checked")
    if settings.check_status and t.supports_status:
        status, detail = t.query_status()
        report = StatusReport(status, detail)
        if status in BLOCKING:
            raise PrinterFault(status, detail)
    t.write(render(target.profile))
    return report
