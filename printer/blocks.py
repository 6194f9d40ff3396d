"""What a receipt says, as blocks of styled text, rules, QR codes and gaps (pure: no printer)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from printer.receipt import PRIORITY_LABELS_ZH, Receipt

Size = Literal["normal", "medium", "large", "huge"]
Align = Literal["left", "center", "right"]
MAX_MATERIALS = 5


@dataclass(frozen=True)
class Line:
    """A paragraph of text in one style; the renderer wraps or truncates it to the paper."""

    text: str
    size: Size = "normal"
    bold: bool = False
    align: Align = "center"
    invert: bool = False
    truncate: bool = False
    # Raster mode: shrink the font (down to "normal") rather than wrap.
    fit: bool = False
    # Put in front of every wrapped line after the first (a numbered list's hanging indent).
    hang: str = ""


@dataclass(frozen=True)
class Rule:
    """A horizontal separator."""


@dataclass(frozen=True)
class Qr:
    """A QR code holding data."""

    data: str


@dataclass(frozen=True)
class Gap:
    """Blank paper, in dots."""

    dots: int


Block = Line | Rule | Qr | Gap


def format_windows(windows: Sequence[int]) -> str:
    """Write window numbers as 「3、4、5」, folding long runs into 「1—6」."""
    nums = sorted(set(windows))
    parts: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        if j - i >= 3:
            parts.append(f"{nums[i]}—{nums[j]}")
        else:
            parts.extend(str(n) for n in nums[i : j + 1])
        i = j + 1
    return "、".join(parts)


def receipt_blocks(receipt: Receipt) -> list[Block]:
    """Return what the slip says, in order, independent of the printer."""
    blocks: list[Block] = [
        Line(receipt.hall_name, "medium", bold=True, fit=True),
        Line(receipt.title),
        Rule(),
        Line(receipt.number, "huge", bold=True),
        Line(receipt.service_name, "large", bold=True),
        Line(f"类别：{receipt.category_name}"),
    ]
    if receipt.priority:
        label = PRIORITY_LABELS_ZH[receipt.priority]
        blocks.append(Line(f" 优先：{label} ", "large", bold=True, invert=True))
    if receipt.appointment_start is not None:
        blocks.append(Line(f" 预约 {receipt.appointment_start:%H:%M} 时段 ", "large", bold=True, invert=True))
    blocks += [Rule(), Line(f"前面还有 {receipt.ahead} 人等候", "medium", bold=True, align="left")]
    if not receipt.windows_open:
        # The estimate assumes every window that serves it is open, so it counts from opening.
        minutes = math.floor(receipt.eta_minutes + 0.5) if receipt.eta_minutes is not None else 0
        text = f"开始办理后约 {minutes} 分钟叫到" if minutes else "窗口还没开始办理，开始后按顺序叫号"
        blocks.append(Line(text, "medium", bold=True, align="left"))
    elif receipt.eta_minutes is not None:
        minutes = max(1, math.floor(receipt.eta_minutes + 0.5))
        blocks.append(Line(f"预计等候约 {minutes} 分钟", "medium", bold=True, align="left"))
    where = "请留意叫号"
    if receipt.windows:
        where = f"请留意叫号，可在 {format_windows(receipt.windows)} 号窗口办理"
    blocks.append(Line(where, "medium", align="left"))
    if receipt.materials:
        blocks += [Rule(), Line("请备齐以下材料：", bold=True, align="left")]
        items = list(receipt.materials)
        shown = items if len(items) <= MAX_MATERIALS else items[: MAX_MATERIALS - 1]
        blocks += [Line(f"□ {m}", align="left", truncate=True) for m in shown]
        rest = len(items) - len(shown)
        more = f"……另有 {rest} 项，详见二维码" if rest else "完整材料清单详见二维码"
        blocks.append(Line(more, align="left"))
    blocks += [
        Gap(12),
        Qr(receipt.track_url),
        Line(receipt.qr_caption),
        Line(f"取号时间：{receipt.issued_at:%Y-%m-%d %H:%M}"),
    ]
    if receipt.footer:
        blocks += [Rule(), Line(receipt.footer)]
    return blocks
