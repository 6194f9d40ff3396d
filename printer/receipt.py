"""What goes on a resident's slip, independent of any printer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

PRIORITY_LABELS_ZH = {
    "elderly": "老年人",
    "disabled": "残疾人",
    "veteran": "退役军人",
    "pregnant": "孕产妇",
}


@dataclass(frozen=True)
class Receipt:
    """The fields printed on one queue ticket."""

    hall_name: str
    number: str
    service_name: str
    category_name: str
    ahead: int
    eta_minutes: float | None
    windows: Sequence[int]
    priority: str | None
    materials: Sequence[str]
    track_url: str
    issued_at: datetime
    footer: str = ""
    title: str = "排队取号凭条"
    appointment_start: datetime | None = None  # a checked-in 预约: its slot's start
    qr_caption: str = "手机扫码查看进度和完整材料"
    # False while no window that serves it is open: the estimate then counts from opening time.
    windows_open: bool = True

    def __post_init__(self) -> None:
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be timezone-aware")
        if self.priority is not None and self.priority not in PRIORITY_LABELS_ZH:
            raise ValueError(f"unknown priority {self.priority!r}")
        if self.ahead < 0:
            raise ValueError("ahead must not be negative")
        # Tuples keep the frozen receipt hashable and safe to share between threads.
        object.__setattr__(self, "windows", tuple(self.windows))
        object.__setattr__(self, "materials", tuple(self.materials))


def receipt_from_ticket(
    ticket: Mapping[str, Any],
    *,
    hall_name: str,
    service_name: str,
    category_name: str,
    materials: Sequence[str] = (),
    footer: str = "",
) -> Receipt:
    """Build a Receipt from an API Ticket dict plus the names the catalogue gives."""
    issued = ticket["issued_at"]
    issued_at = issued if isinstance(issued, datetime) else datetime.fromisoformat(issued)
    eta = ticket.get("eta_minutes")
    booked = (ticket.get("appointment") or {}).get("start")
    return Receipt(
        hall_name=hall_name,
        number=str(ticket["number"]),
        service_name=service_name,
        category_name=category_name,
        ahead=int(ticket.get("ahead") or 0),
        eta_minutes=None if eta is None else float(eta),
        windows=[int(w) for w in ticket.get("windows") or []],
        priority=ticket.get("priority") or None,
        materials=list(materials),
        track_url=str(ticket["track_url"]),
        issued_at=issued_at,
        footer=footer,
        appointment_start=datetime.fromisoformat(booked) if isinstance(booked, str) else booked,
    )


def materials_for_service(service: Mapping[str, Any]) -> list[str]:
    """Collect a catalogue service's materials across its matters, first mention first."""
    seen: dict[str, None] = {}
    for matter in service.get("matters", []):
        for item in matter.get("materials", []):
            seen.setdefault(str(item).strip(), None)
    return [m for m in seen if m]


def sample_receipt(footer: str = "") -> Receipt:
    """Return a realistic receipt for printer tests and the demo."""
    from zoneinfo import ZoneInfo

    return Receipt(
        hall_name="剑阁县普安镇便民服务中心",
        number="A007",
        service_name="城乡居民养老保险",
        category_name="社保医保",
        ahead=3,
        eta_minutes=12.4,
        windows=[3, 4, 5],
        priority="elderly",
        materials=[
            "居民身份证原件",
            "社会保障卡",
            "户口簿（首页及本人页）",
            "参保人近期一寸免冠彩色照片两张",
            "银行存折或银行卡复印件",
            "委托他人代办的，需提供代办人身份证原件及委托书",
        ],
        track_url="http://192.168.1.10:8000/m/t/8f3a2c?token=Zk3q9XbT0aLm2Vw8",
        issued_at=datetime(2024, 6, 13, 9, 5, 12, tzinfo=ZoneInfo("Asia/Shanghai")),
        footer=footer or "只进一扇门 最多跑一次｜服务热线 0839-0000000",
    )
