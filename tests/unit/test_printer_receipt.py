"""Receipt construction from API tickets."""

from __future__ import annotations

from datetime import datetime

import pytest

from printer.errors import PrinterFault
from printer.receipt import Receipt, materials_for_service, receipt_from_ticket
from printer.status import PrinterStatus

TICKET = {
    "id": 42, "number": "B012", "service": "B01", "category": "B", "status": "waiting",
    "channel": "kiosk", "priority": "disabled", "issued_at": "2024-06-13T09:05:12+08:00",
    "ahead": 5, "eta_minutes": 17.6, "windows": [7, 8], "token": "t0k",
    "track_url": "http://hall.local/m/t/42?token=t0k",
}


def test_receipt_from_ticket_takes_api_fields_and_catalogue_names() -> None:
    r = receipt_from_ticket(TICKET, hall_name="普安镇便民服务中心", service_name="个体工商户登记",
                            category_name="市场监管", materials=["营业执照申请书"], footer="谢谢")
    assert (r.number, r.ahead, r.eta_minutes, r.windows) == ("B012", 5, 17.6, (7, 8))
    assert r.priority == "disabled"
    assert r.issued_at.utcoffset() is not None and r.issued_at.hour == 9
    assert r.track_url == TICKET["track_url"]
    assert (r.materials, r.footer) == (("营业执照申请书",), "谢谢")


def test_ticket_without_priority_or_eta() -> None:
    t = {**TICKET, "priority": None, "eta_minutes": None}
    r = receipt_from_ticket(t, hall_name="h", service_name="s", category_name="c")
    assert r.priority is None and r.eta_minutes is None


def test_naive_issue_time_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone"):
        receipt_from_ticket({**TICKET, "issued_at": "2024-06-13T09:05:12"},
                            hall_name="h", service_name="s", category_name="c")


def test_unknown_priority_is_rejected() -> None:
    with pytest.raises(ValueError, match="priority"):
        Receipt("h", "A1", "s", "c", 0, None, [], "vip", [], "u",
                datetime.fromisoformat("2024-06-13T09:05:12+08:00"))


def test_materials_for_service_merges_matters_without_repeats() -> None:
    service = {
        "matters": [{"materials": ["身份证", "社保卡"]}, {"materials": ["身份证", " 户口簿 "]}]
    }
    assert materials_for_service(service) == ["身份证", "社保卡", "户口簿"]


def test_fault_error_carries_status_and_a_chinese_message() -> None:
    err = PrinterFault(PrinterStatus.PAPER_OUT, "paper end")
    assert err.status is PrinterStatus.PAPER_OUT
    assert "缺纸" in err.message_zh
    assert "paper_out" in str(err)


def test_a_checked_in_ticket_carries_its_slot_start_onto_the_receipt() -> None:
    t = {**TICKET, "appointment": {"id": 3, "start": "2024-06-13T09:30:00+08:00"}}
    r = receipt_from_ticket(t, hall_name="h", service_name="s", category_name="c")
    assert r.appointment_start is not None and (r.appointment_start.hour, r.appointment_start.minute) == (9, 30)
    assert receipt_from_ticket(TICKET, hall_name="h", service_name="s", category_name="c").appointment_start is None
