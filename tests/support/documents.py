"""Realistic case documents for printer tests and screenshots."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from printer.documents import AcceptanceReceipt, CompletionNotice, MaterialsNotice

TZ = ZoneInfo("Asia/Shanghai")
HALL = "剑阁县普安镇便民服务中心"
TRACK_URL = "http://192.168.1.10:8000/m/c/41?token=Qm7Zx2LpV9aTc4Rw"


def acceptance() -> AcceptanceReceipt:
    """Return a 受理回执 for a deferred rural-housing matter."""
    return AcceptanceReceipt(
        hall_name=HALL, number="BJ20241008-0007", matter_name="农村村民宅基地和建房（规划许可）审批",
        applicant="王*英", accepted_at=datetime(2024, 9, 27, 9, 30, tzinfo=TZ),
        due_date=date(2024, 10, 14), promised_days=7, window=1, pickup_window=18,
        track_url=TRACK_URL, footer="只进一扇门 最多跑一次｜服务热线 0839-0000000",
    )


def notice() -> MaterialsNotice:
    """Return a 一次性告知书 listing more materials than fit a ticket receipt."""
    return MaterialsNotice(
        hall_name=HALL, number="BJ20241008-0007", matter_name="农村村民宅基地和建房（规划许可）审批",
        applicant="王*英", window=1, issued_at=datetime(2024, 9, 27, 9, 42, tzinfo=TZ),
        missing=[
            "户口簿（首页及本人页）复印件",
            "宅基地申请书（村民小组签署意见）",
            "房屋建筑设计图或通用图",
            "家庭成员身份证复印件",
            "村民小组会议记录",
            "四邻签字确认书",
            "承诺书（一户一宅，建新拆旧）",
        ],
        note="复印件请用A4纸，并由本人签字按手印",
        where="大厅东侧综合受理区",
        track_url=TRACK_URL,
    )


def completion(result: str = "approved", delivery: str = "pickup") -> CompletionNotice:
    """Return a 办结通知."""
    return CompletionNotice(
        hall_name=HALL, number="BJ20241008-0007", matter_name="农村村民宅基地和建房（规划许可）审批",
        applicant="王*英", result=result, completed_at=datetime(2024, 10, 12, 15, 5, tzinfo=TZ),
        pickup_window=18, delivery=delivery,
        note="准予建房，请按批准面积施工" if result == "approved" else "申请地块属于基本农田，不予批准",
        track_url=TRACK_URL,
    )
