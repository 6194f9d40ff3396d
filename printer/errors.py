"""Error types the kiosk can catch and show to a resident in Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from printer.status import PrinterStatus


class PrinterError(Exception):
    """Base of every printer failure; carries a Chinese message for the kiosk screen."""

    message_zh: str = "打印机故障，请凭屏幕上的二维码取号"

    def __init__(self, message: str, *, message_zh: str | None = None) -> None:
        super().__init__(message)
        if message_zh is not None:
            self.message_zh = message_zh


class PrinterConfigError(PrinterError):
    """The printer URL, profile or font is unusable."""

    message_zh = "打印机配置有误，请联系工作人员"


class FontNotFound(PrinterConfigError):
    """No CJK font was found to draw Chinese text."""

    message_zh = "未找到中文字体，请联系工作人员"


class PrinterUnreachable(PrinterError):
    """The printer could not be opened or connected to."""

    message_zh = "无法连接打印机，请凭屏幕上的二维码取号"


class PrinterWriteFailed(PrinterError):
    """The connection broke or stalled while sending the receipt."""

    message_zh = "打印中断，请凭屏幕上的二维码取号"


class PrinterFault(PrinterError):
    """The printer reported a state in which it cannot print."""

    def __init__(self, status: PrinterStatus, detail: str = "") -> None:
        from printer.status import STATUS_MESSAGES_ZH

        self.status = status
        text = f"printer reports {status.value}" + (f": {detail}" if detail else "")
        super().__init__(text, message_zh=STATUS_MESSAGES_ZH[status])
