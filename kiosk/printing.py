"""Turn an issued ticket into a printed receipt through printer/, and say what went wrong."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import qrcode

from kiosk.catalog import serves_now
from printer.errors import PrinterError, PrinterFault
from printer.receipt import Receipt, materials_for_service, receipt_from_ticket
from printer.service import print_receipt
from printer.settings import PrinterSettings
from printer.status import PrinterStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintOutcome:
    """How printing went: the printer state to report and a message for the screen."""

    ok: bool
    status: str
    detail: str = ""
    message_zh: str = ""


def find_service(catalog: Mapping[str, Any], code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (category, service) for a service code in the catalogue."""
    for category in catalog.get("categories", []):
        for service in category.get("services", []):
            if service.get("code") == code:
                return category, service
    raise KeyError(code)


def build_receipt(ticket: Mapping[str, Any], catalog: Mapping[str, Any],
                  footer: str = "") -> Receipt:
    """Build the slip from the Ticket JSON and the catalogue, with the windows that serve first."""
    hall = catalog.get("hall", {})
    try:
        category, service = find_service(catalog, str(ticket["service"]))
    except KeyError:
        category = {"name": ticket.get("category_name") or ticket.get("category", "")}
        service = {"name": ticket.get("service_name") or ticket["service"], "matters": []}
    data = dict(ticket)
    # The receipt names where to look first, not all 18 windows that could serve it.
    data["windows"] = ticket.get("preferred_windows") or ticket.get("windows") or []
    receipt = receipt_from_ticket(
        data,
        hall_name=str(hall.get("name", "")),
        service_name=str(service.get("name", "")),
        category_name=str(category.get("name", "")),
        materials=materials_for_service(service),
        footer=footer,
    )
    if serves_now(catalog, ticket.get("windows") or []) is False:
        receipt = replace(receipt, windows_open=False)
    return receipt


def print_ticket(receipt: Receipt, settings: PrinterSettings) -> PrintOutcome:
    """Check the printer's status and print; never raise."""
    try:
        report = print_receipt(receipt, settings.url, settings)
    except PrinterFault as exc:
        return PrintOutcome(False, exc.status.value, str(exc), exc.message_zh)
    except PrinterError as exc:
        return PrintOutcome(False, PrinterStatus.OFFLINE.value, str(exc), exc.message_zh)
    except Exception as exc:  # a printer bug must not lose the ticket either
        log.exception("printing failed")
        return PrintOutcome(False, PrinterStatus.OFFLINE.value, repr(exc), "打印机故障")
    return PrintOutcome(True, report.status.value, report.detail)


def qr_png(text: str, box: int = 12) -> bytes:
    """Render text as a QR code PNG for the screen."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box,
                         border=2)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return buffer.getvalue()


class PrinterWatch:
    """Tell the server about printer states that changed, and about every fault."""

    def __init__(self, client: Any, settings: PrinterSettings) -> None:
        self._client = client
        self._settings = settings
        self.reported: str | None = None

    def report(self, status: str, detail: str = "") -> None:
        """Report a printer state unless it is an ok the server already knows."""
        from kiosk.client import ApiError, Unreachable

        if status == self.reported == "ok":
            return
        try:
            self._client.report_status(status, detail)
            self.reported = status
        except (Unreachable, ApiError) as exc:
            log.warning("could not report printer status: %s", exc)

    def report_at_start(self) -> None:
        """Ask the printer how it is and report it."""
        from printer.service import check_status

        report = check_status(self._settings.url, self._settings.timeout_seconds)
        self.report(report.status.value, report.detail)
