"""Printing a case's documents at a window: to that window's printer, after the checks; a fault changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
import zxingcpp

from printer.status import PrinterStatus
from printer.virtual import VirtualPrinter
from tests.support.cases import act, hold_clock, new_case
from tests.support.http import assert_error
from tests.support.live import Api, LiveServer


@pytest.fixture
def printers() -> Iterator[tuple[VirtualPrinter, VirtualPrinter]]:
    good = VirtualPrinter(port=0, prefix="case").start()
    broken = VirtualPrinter(port=0, prefix="broken", status=PrinterStatus.PAPER_OUT).start()
    yield good, broken
    good.stop()
    broken.stop()


def test_documents_print_on_the_windows_printer_and_faults_change_nothing(
        printers: tuple[VirtualPrinter, VirtualPrinter], serve: Callable[..., LiveServer]) -> None:
    good, broken = printers
    live = serve(printers={1: good.url, 2: broken.url, 18: good.url})
    api = Api(live.url)
    hold_clock(live, "2026-12-01 10:00")
    clerk = api.user("clerk1")
    case = new_case(api, clerk, "M002")
    cid = case["id"]

    r = api.http.post(f"/api/cases/{cid}/print", headers=clerk, json={"window": 1, "kind": "acceptance"})
    assert r.status_code == 202, r.text
    assert r.json() == {"case": cid, "window": 1, "kind": "acceptance", "printer_status": "ok"}
    slip = good.wait_for(1)[0]
    assert case["number"] in slip.transcript and "受理回执" in slip.transcript
    assert "2026年12月8日" in slip.transcript  # the due date
    assert "王秀英" not in slip.transcript and "王*英" in slip.transcript  # masked on paper too
    qr = [x.text for x in zxingcpp.read_barcodes(slip.image.convert("L"))]
    assert qr == [case["track_url"]]

    assert_error(api.http.post(f"/api/cases/{cid}/print", headers=clerk,
                               json={"window": 1, "kind": "completion"}), 409, "case_not_done")
    act(api, clerk, cid, "suspend", {"missing": ["户口簿原件", "近期免冠照片"]})
    before = api.http.get(f"/api/cases/{cid}", headers=clerk).json()
    fault = api.http.post(f"/api/cases/{cid}/print", headers=clerk, json={"window": 2, "kind": "notice"})
    assert_error(fault, 503, "printer_fault")
    assert api.http.get(f"/api/cases/{cid}", headers=clerk).json() == before
    assert not broken.receipts
    assert api.http.post(f"/api/cases/{cid}/print", headers=clerk,
                         json={"window": 1, "kind": "notice"}).status_code == 202
    notice = good.wait_for(2)[1]
    assert "一次性告知书" in notice.transcript
    assert "户口簿原件" in notice.transcript and "近期免冠照片" in notice.transcript

    act(api, clerk, cid, "resume")
    act(api, clerk, cid, "complete", {"result": "approved"})
    assert api.http.post(f"/api/cases/{cid}/print", headers=clerk,
                         json={"window": 18, "kind": "completion"}).status_code == 202
    done = good.wait_for(3)[2]
    assert "办结通知" in done.transcript and "18 号窗口" in done.transcript

    assert_error(api.http.post(f"/api/cases/{cid}/print", headers=clerk,
                               json={"window": 3, "kind": "acceptance"}), 422, "invalid")  # no printer
    assert_error(api.http.post(f"/api/cases/{cid}/print", headers=clerk,
                               json={"window": 99, "kind": "acceptance"}), 422, "invalid")
    assert_error(api.http.post(f"/api/cases/{cid}/print", headers=clerk,
                               json={"window": 1, "kind": "poster"}), 422, "invalid")
    assert_error(api.http.post("/api/cases/424242/print", headers=clerk,
                               json={"window": 1, "kind": "acceptance"}), 404, "not_found")
    with httpx.Client(base_url=live.url) as anon:
        assert_error(anon.post(f"/api/cases/{cid}/print", json={"window": 1, "kind": "acceptance"}),
                     401, "unauthorized")
    assert len(good.receipts) == 3
    api.close()
