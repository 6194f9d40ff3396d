"""Receipts for ESC/POS thermal printers, and a virtual printer that shows them."""

from printer.errors import (
    PrinterConfigError,
    PrinterError,
    PrinterFault,
    PrinterUnreachable,
    PrinterWriteFailed,
)
from printer.layout import render_receipt
from printer.profile import PrinterProfile
from printer.receipt import Receipt, receipt_from_ticket
from printer.status import PrinterStatus

__all__ = [
    "PrinterConfigError",
    "PrinterError",
    "PrinterFault",
    "PrinterProfile",
    "PrinterStatus",
    "PrinterUnreachable",
    "PrinterWriteFailed",
    "Receipt",
    "receipt_from_ticket",
    "render_receipt",
]
