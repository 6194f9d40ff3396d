"""The three slips a window prints for a case (受理回执, 一次性告知书, 办结通知); pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from printer.layout import Block, Gap, Line, Qr, Rule, printed_block_lines, render_blocks
from printer.profile import PrinterProfile

DocumentKind = Literal["acceptance", "notice", "completion"]
WEEKDAYS_ZH = "一二三四五六日"
RESULT_ZH = {"approved": "准予办理", "refused": "不予办理"}
MODE_ZH = {"onsite": "现场办", "deferred": "延时办", "proxy": "代办"}


def long_date(day: date) -> str:
    """Write a date as 「2026年12月15日」."""
    return f"{day.year}年{day.month}月{day.day}日"


def weekday_zh(day: date) -> str:
    """Write a date's weekday as 「星期二」."""
    return "星期" + WEEKDAYS_ZH[day.weekday()]


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("times on a slip must be timezone-aware")
    return at


@dataclass(frozen=True)
class AcceptanceReceipt:
    """受理回执: proof that the window took the matter in, and where to follow it."""

    hall_name: str
    number: str
    matter_name: str
    applicant: str  # as it may appear on paper: the server masks it (domain/privacy.mask_name)
    accepted_at: datetime
    due_date: date
    promised_days: int
    window: int
    pickup_window: int
    track_url: str
    mode: str = "deferred"
    footer: str = ""

    def __post_init__(self) -> None:
        _aware(self.accepted_at)


@dataclass(frozen=True)
class MaterialsNotice:
    """一次性告知书: every missing material at once, and where to bring them."""

    hall_name: str
    matter_name: str
    missing: Sequence[str]
    window: int
    issued_at: datetime
    number: str | None = None
    applicant: str = ""
    note: str = ""
    where: str = ""
    track_url: str | None = None
    footer: str = ""

    def __post_init__(self) -> None:
        _aware(self.issued_at)
        items = tuple(m.strip() for m in self.missing if m.strip())
        if not items:
            raise ValueError("a notice lists at least one missing material")
        object.__setattr__(self, "missing", items)


@dataclass(frozen=True)
class CompletionNotice:
    """办结通知: the result, and how the resident gets it."""

    hall_name: str
    number: str
    matter_name: str
    applicant: str  # as it may appear on paper: the server masks it (domain/privacy.mask_name)
    result: str
    completed_at: datetime
    pickup_window: int
    delivery: str = "pickup"
    note: str = ""
    track_url: str | None = None
    footer: str = ""

    def __post_init__(self) -> None:
        _aware(self.completed_at)
        if self.result not in RESULT_ZH:
            raise ValueError(f"result must be approved or refused, not {self.result!r}")


Document = AcceptanceReceipt | MaterialsNotice | CompletionNotice


def _head(hall_name: str, title: str) -> list[Block]:
    return [Line(hall_name, "medium", bold=True, fit=True), Line(title, "large", bold=True), Rule()]


def _case_lines(number: str | None, matter: str, applicant: str) -> list[Block]:
    out: list[Block] = []
    if number:
        out += [Line("办件编号"), Line(number, "huge", bold=True)]
    out.append(Line(f"事项：{matter}", "medium", bold=True, align="left"))
    if applicant:
        out.append(Line(f"申请人：{applicant}", "medium", align="left"))
    return out


def _tail(track_url: str | None, caption: str, footer: str) -> list[Block]:
    out: list[Block] = []
    if track_url:
        out += [Gap(12), Qr(track_url), Line(caption)]
    if footer:
        out += [Rule(), Line(footer)]
    return out


def acceptance_blocks(doc: AcceptanceReceipt) -> list[Block]:
    """Return what the 受理回执 says, in order."""
    blocks = _head(doc.hall_name, "受理回执")
    blocks += _case_lines(doc.number, doc.matter_name, doc.applicant)
    blocks += [
        Line(f"受理时间：{doc.accepted_at:%Y-%m-%d %H:%M}", align="left"),
        Line(f"受理窗口：{doc.window} 号窗口", align="left"),
    ]
    if doc.mode == "onsite":
        blocks += [Rule(), Line("本事项已当场办结", "large", bold=True)]
        return blocks + _tail(doc.track_url, "手机扫码查看办理结果", doc.footer)
    blocks += [
        Line(f"承诺时限：{doc.promised_days} 个工作日（{MODE_ZH.get(doc.mode, doc.mode)}）", align="left"),
        Rule(),
        Line("预计办结日期", "medium", bold=True),
        Line(long_date(doc.due_date), "large", bold=True),
        Line(weekday_zh(doc.due_date), "medium"),
        Line(f"办结后请凭本回执，到 {doc.pickup_window} 号窗口领取", "medium", bold=True, align="left"),
        Line("节假日不计入办理时限；补正材料期间暂停计时", align="left"),
    ]
    return blocks + _tail(doc.track_url, "手机扫码，随时查看办理进度", doc.footer)


def notice_blocks(doc: MaterialsNotice) -> list[Block]:
    """Return what the 一次性告知书 says, in order: every missing material, numbered."""
    blocks = _head(doc.hall_name, "一次性告知书")
    blocks += _case_lines(doc.number, doc.matter_name, doc.applicant)
    blocks += [
        Rule(),
        Line(f"请补齐以下 {len(doc.missing)} 项材料：", "medium", bold=True, align="left"),
    ]
    blocks += [
        Line(f"{i}．{m}", "medium", align="left", hang="　" + " " * len(str(i)))
        for i, m in enumerate(doc.missing, 1)
    ]
    if doc.note:
        blocks += [Gap(8), Line(f"说明：{doc.note}", align="left")]
    where = f"{doc.window} 号窗口" + (f"（{doc.where}）" if doc.where else "")
    blocks += [
        Rule(),
        Line(f"材料备齐后，请带本告知书到 {where} 继续办理", "medium", bold=True, align="left"),
        Line("以上为需补正的全部材料，一次告知，不再另行要求", align="left"),
        Line("补正期间办理时限暂停计算", align="left"),
        Line(f"告知时间：{doc.issued_at:%Y-%m-%d %H:%M}"),
    ]
    return blocks + _tail(doc.track_url, "手机扫码查看办理进度", doc.footer)


def completion_blocks(doc: CompletionNotice) -> list[Block]:
    """Return what the 办结通知 says, in order."""
    blocks = _head(doc.hall_name, "办结通知")
    blocks += _case_lines(doc.number, doc.matter_name, doc.applicant)
    approved = doc.result == "approved"
    blocks += [
        Rule(),
        Line("办理结果", "medium", bold=True),
        Line(f" {RESULT_ZH[doc.result]} ", "large", bold=True, invert=approved),
    ]
    if doc.note:
        blocks.append(Line(f"说明：{doc.note}", align="left"))
    blocks.append(Line(f"办结时间：{doc.completed_at:%Y-%m-%d %H:%M}", align="left"))
    blocks.append(Rule())
    if doc.delivery == "mail":
        blocks.append(Line("办理结果将邮寄给您，请留意查收", "medium", bold=True, align="left"))
    elif doc.delivery == "agent":
        blocks.append(Line("办理结果由村代办员送达，请留意", "medium", bold=True, align="left"))
    else:
        blocks += [
            Line("请到以下窗口领取", "medium", bold=True),
            Line(f"{doc.pickup_window} 号窗口", "huge", bold=True),
            Line("领取时请带本人身份证；他人代领请带双方身份证", align="left"),
        ]
    return blocks + _tail(doc.track_url, "手机扫码查看办理结果", doc.footer)


def document_blocks(doc: Document) -> list[Block]:
    """Return any case document's blocks."""
    if isinstance(doc, AcceptanceReceipt):
        return acceptance_blocks(doc)
    if isinstance(doc, MaterialsNotice):
        return notice_blocks(doc)
    return completion_blocks(doc)


def render_document(doc: Document, profile: PrinterProfile) -> bytes:
    """Render a case document to ESC/POS bytes for the profile's paper and Chinese mode."""
    return render_blocks(document_blocks(doc), profile)


def document_lines(doc: Document, profile: PrinterProfile) -> list[str]:
    """Return a document's text lines as they will be printed for this profile."""
    return printed_block_lines(document_blocks(doc), profile)


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _applicant(case: Mapping[str, Any]) -> str:
    return str((case.get("applicant") or {}).get("name") or "")


def acceptance_from_case(
    case: Mapping[str, Any], *, hall_name: str, window: int, pickup_window: int,
    track_url: str | None = None, footer: str = "",
) -> AcceptanceReceipt:
    """Build a 受理回执 from an API Case dict (track_url from the case unless given)."""
    url = track_url or case.get("track_url")
    if not url:
        raise ValueError("a 受理回执 needs the case's track_url")
    return AcceptanceReceipt(
        hall_name=hall_name, number=str(case["number"]), matter_name=str(case["matter_name"]),
        applicant=_applicant(case), accepted_at=_when(case["accepted_at"]),
        due_date=_day(case["due_date"]), promised_days=int(case.get("promised_days") or 0),
        window=window, pickup_window=pickup_window, track_url=str(url),
        mode=str(case.get("mode") or "deferred"), footer=footer,
    )


def notice_from_case(
    case: Mapping[str, Any], *, hall_name: str, window: int, missing: Sequence[str],
    issued_at: datetime, note: str = "", where: str = "", track_url: str | None = None,
    footer: str = "",
) -> MaterialsNotice:
    """Build a 一次性告知书 from an API Case dict and the materials still missing."""
    return MaterialsNotice(
        hall_name=hall_name, matter_name=str(case["matter_name"]), missing=list(missing),
        window=window, issued_at=issued_at, number=str(case["number"]),
        applicant=_applicant(case), note=note, where=where,
        track_url=track_url or case.get("track_url"), footer=footer,
    )


def completion_from_case(
    case: Mapping[str, Any], *, hall_name: str, pickup_window: int,
    track_url: str | None = None, footer: str = "",
) -> CompletionNotice:
    """Build a 办结通知 from a completed API Case dict."""
    if not case.get("completed_at") or not case.get("result"):
        raise ValueError("a 办结通知 needs a completed case")
    return CompletionNotice(
        hall_name=hall_name, number=str(case["number"]), matter_name=str(case["matter_name"]),
        applicant=_applicant(case), result=str(case["result"]),
        completed_at=_when(case["completed_at"]), pickup_window=pickup_window,
        delivery=str(case.get("delivery") or "pickup"), note=str(case.get("result_note") or ""),
        track_url=track_url or case.get("track_url"), footer=footer,
    )
