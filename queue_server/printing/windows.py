"""The printer at a window: which one it is, and sending a document to it after the commit."""

from __future__ import annotations

from printer.documents import Document
from printer.errors import PrinterError
from printer.service import print_document
from queue_server.core.errors import ApiError, Invalid
from queue_server.halls.hall import Hall


def window_printer(hall: Hall, window: int) -> str:
    """Return the printer URL the hall YAML names for a window, or refuse with a 422."""
    windows = len(hall.config.windows)
    if not 1 <= window <= windows:
        raise Invalid(f"窗口号必须在 1 到 {windows} 之间")
    url = hall.config.windows[window - 1].printer
    if not url:
        raise Invalid(f"{window} 号窗口没有配置打印机（大厅配置 windows[].printer）")
    return url


def send(document: Document, url: str, window: int) -> str:
    """Print a document at a window; a printer fault is a 503 printer_fault. Return its status."""
    try:
        report = print_document(document, url)
    except PrinterError as exc:
        raise ApiError(f"{window} 号窗口打印机故障：{exc.message_zh}", status=503,
                       code="printer_fault") from exc
    return str(report.status.value)
