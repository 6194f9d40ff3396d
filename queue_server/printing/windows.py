"""The printer at a window: which one it is, and printing a document there (directly, or through
the hall's print agent) after the commit."""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool

from printer.documents import AcceptanceReceipt, CompletionNotice, Document, render_document
from printer.errors import PrinterError
from printer.service import print_document
from printer.settings import PrinterSettings
from printer.targets import parse_printer_url
from queue_server.core.errors import ApiError, Invalid
from queue_server.halls.hall import Hall
from queue_server.printing.relay import NO_AGENT, NO_ANSWER, PrintAgents
from queue_server.printing.store import Finished


def window_printer(hall: Hall, window: int) -> str:
    """Return the printer URL the hall YAML names for a window, or refuse with a 422."""
    windows = len(hall.config.windows)
    if not 1 <= window <= windows:
        raise Invalid(f"窗口号必须在 1 到 {windows} 之间")
    url = hall.config.windows[window - 1].printer
    if not url:
        raise Invalid(f"{window} 号窗口没有配置打印机（大厅配置 windows[].printer）")
    return url


def _fault(window: int, reason: str) -> ApiError:
    return ApiError(f"{window} 号窗口打印机故障：{reason}", status=503, code="printer_fault")


def title_of(document: Document, window: int) -> str:
    """Name a slip for the agent's log: 「受理回执 · 1 号窗口」."""
    if isinstance(document, AcceptanceReceipt):
        kind = "受理回执"
    elif isinstance(document, CompletionNotice):
        kind = "办结通知"
    else:
        kind = "一次性告知书"
    return f"{kind} · {window} 号窗口"


async def print_at_window(agents: PrintAgents | None, hall: str, document: Document, url: str,
                          window: int) -> str:
    """Print a document at a window of a hall, directly or through its print agent; return the status.

    A printer fault, a missing agent or one that does not answer in time is a 503 printer_fault.
    """
    try:
        target = parse_printer_url(url, PrinterSettings().default_profile())
        if target.scheme != "agent":
            report = await run_in_threadpool(print_document, document, url)
            return str(report.status.value)
        data = await asyncio.to_thread(render_document, document, target.profile)
    except PrinterError as exc:
        raise _fault(window, exc.message_zh) from exc
    if agents is None:
        return answer_status(Finished("", NO_AGENT), target.name, window, 0.0)
    done = await agents.print(hall=hall, printer=target.name, window=window, title=title_of(document, window),
                              data=data)
    return answer_status(done, target.name, window, agents.timeout)


def answer_status(done: Finished, printer: str, window: int, timeout: float) -> str:
    """Return the printer's status for a printed job, or the 503 printer_fault the answer means."""
    if done.status == "printed":
        return done.printer_status or "ok"
    if done.status == "fault":
        raise _fault(window, done.message or "打印代理报告打印机故障")
    if done.status == NO_AGENT:
        raise _fault(window, f"打印机 {printer} 的打印代理未连接（no print agent is connected for "
                             f"printer {printer}）")
    if done.status in (NO_ANSWER, "expired"):
        raise _fault(window, f"打印机 {printer} 的打印代理 {timeout:g} 秒内没有应答（the print agent "
                             f"did not answer within {timeout:g} s）")
    raise _fault(window, f"打印代理的回答无法识别：{done.status}")
