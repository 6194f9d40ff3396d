"""A resident books on /m/book (Chromium), checks in at the Kivy kiosk (Xvfb), and is called first."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect

from printer.virtual import VirtualPrinter
from tests.conftest import ARTIFACTS
from tests.support.kiosk import Kiosk, Xvfb
from tests.support.live import Api, LiveServer

pytestmark = pytest.mark.ui
SHOTS = ARTIFACTS / "kiosk_appointment"
SH = ZoneInfo("Asia/Shanghai")
VET = "veterans-benefits"


def book_on_the_phone(browser: Browser, live: LiveServer, phone: str, slot: int) -> str:
    """Book 退役军人优抚 on /m/book in a phone-sized page; return the code it shows."""
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    page.goto(live.url + "/m/book")
    page.get_by_role("button", name="退役军人优抚").click()
    page.locator("#bk-days button:enabled").first.click()
    page.locator("#bk-slots button:enabled").nth(slot).click()
    page.fill("#bk-name", "赵大爷")
    page.fill("#bk-phone", phone)
    page.click("#bk-submit")
    expect(page.locator("#bk-status")).to_have_text("预约成功")
    code = page.locator("#bk-code").inner_text()
    page.context.close()
    return code


def test_book_on_the_phone_type_the_code_at_the_kiosk_get_a_receipt_and_be_called_first(
        browser: Browser) -> None:
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    live = LiveServer(Path(tempfile.mkdtemp(prefix="kiosk-appt-")) / "var").start()
    api = Api(live.url)
    xvfb = Xvfb()
    _headers, token = api.device("kiosk", name="大厅取号机")
    printer = VirtualPrinter(port=0, out_dir=SHOTS / "receipts").start()
    kiosk = Kiosk(xvfb.display, live.url, token, printer.url, SHOTS / "kiosk.log")
    try:
        kiosk.wait_ready()
        kiosk.call("set_idle", seconds=600)
        early = book_on_the_phone(browser, live, "13900000011", 0)  # 09:00–09:30
        later = book_on_the_phone(browser, live, "13900000012", 4)  # 11:00–11:30
        slots = api.http.get("/api/appointments/slots", params={"service": VET, "date": _first_day(api)}).json()
        start = datetime.fromisoformat(slots[0]["start"])

        # Two walk-ins take their numbers at 08:40; the resident checks in at 08:45.
        clock = {"now": datetime.combine(start.date(), time(8, 40), tzinfo=SH)}
        live.runtime.clock = lambda: clock["now"]
        kiosk_headers = {"Authorization": "Bearer " + token}
        walk_ins = [api.issue(kiosk_headers, VET) for _ in range(2)]
        clock["now"] += timedelta(minutes=5)

        kiosk.tap("appointment")
        kiosk.wait_screen("appointment")
        kiosk.call("shot", path=str(SHOTS / "zh-keypad-empty.png"))
        for digit in early:
            kiosk.tap(f"key_{digit}")
        kiosk.wait(lambda s: s["code"] == early, what="code typed")
        kiosk.call("shot", path=str(SHOTS / "zh-keypad-typed.png"))
        audit = kiosk.call("audit")
        assert audit["problems"] == [], audit["problems"]
        receipts = len(printer.receipts)
        kiosk.tap("ok")
        state = kiosk.wait(lambda s: s["screen"] == "issued" and s["phase"] == "printed", 15, "printed")
        ticket = state["ticket"]
        assert ticket["appointment"]["start"] == slots[0]["start"]
        assert "预约 09:00" in kiosk.call("text", id="service_name")["text"]
        kiosk.call("shot", path=str(SHOTS / "zh-issued-appointment.png"))
        receipt = printer.wait_for(receipts + 1)[-1]
        assert ticket["number"] in receipt.lines and "预约 09:00 时段" in receipt.transcript
        assert receipt.png_path is not None and receipt.png_path.stat().st_size > 5_000
        shutil.copy(receipt.png_path, SHOTS / "receipt-appointment.png")

        # A scanner types the other code and Enter: it is too early, explained, with the offer.
        kiosk.tap("done")
        kiosk.wait_screen("home")
        kiosk.tap("appointment")
        kiosk.wait_screen("appointment")
        kiosk.call("keys", text=later + "\n")
        state = kiosk.wait(lambda s: bool(s["issue_error"]), 15, "refusal")
        assert "还没到签到时间" in state["issue_error"] and state["code"] == ""
        assert kiosk.call("text", id="walk_in")["opacity"] == 1
        kiosk.call("shot", path=str(SHOTS / "zh-keypad-too-early.png"))
        assert kiosk.call("audit")["problems"] == []
        kiosk.tap("walk_in")
        kiosk.wait_screen("home")
        kiosk.call("shot", path=str(SHOTS / "zh-home.png"))

        # The clerk at the veterans' window calls the appointment before both earlier walk-ins.
        clerk = api.user("li")
        assert api.http.post("/api/windows/9/open", headers=clerk).status_code == 200
        called = api.http.post("/api/windows/9/call-next", headers=clerk).json()["ticket"]
        assert called["id"] == ticket["id"] and called["first_called_at"] <= slots[0]["end"]
        api.http.post("/api/windows/9/finish", headers=clerk, json={"outcome": "done"})
        second = api.http.post("/api/windows/9/call-next", headers=clerk).json()["ticket"]
        assert second["id"] == walk_ins[0]["id"]
    finally:
        kiosk.stop()
        printer.stop()
        api.close()
        live.stop()
        xvfb.stop()


def _first_day(api: Api) -> str:
    """Return the first day /m/book offers for the service (the one the page picked)."""
    today = datetime.now(SH).date()
    for i in range(1, 15):
        day = (today + timedelta(days=i)).isoformat()
        if api.http.get("/api/appointments/slots", params={"service": VET, "date": day}).json():
            return day
    raise AssertionError("no bookable day")
