"""/m/book in Chromium, phone-sized: a resident books, keeps the code and QR, then manages it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import ARTIFACTS
from tests.support.live import Api, LiveServer

PHONE_VIEW = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def shots() -> Iterator[Path]:
    """Return this module's screenshot folder, cleaned once before its first test."""
    out = ARTIFACTS / "booking"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    yield out


def book(page: Page, live: LiveServer, shots: Path | None, phone: str) -> str:
    """Book the first free slot of 退役军人优抚 and return the code shown."""
    page.goto(live.url + "/m/book")
    expect(page.locator("#bk-services button").first).to_be_visible()
    if shots:
        page.screenshot(path=str(shots / "1_service.png"), full_page=True)
    page.get_by_role("button", name="退役军人优抚").click()
    days = page.locator("#bk-days button:enabled")
    expect(days.first).to_be_visible()
    if shots:
        page.screenshot(path=str(shots / "2_day.png"), full_page=True)
    days.first.click()
    slots = page.locator("#bk-slots button:enabled")
    expect(slots.first).to_contain_text("09:00–09:30")
    if shots:
        page.screenshot(path=str(shots / "3_slot.png"), full_page=True)
    slots.first.click()
    page.fill("#bk-name", "王小明")
    page.fill("#bk-phone", "1390000")
    page.click("#bk-submit")
    expect(page.locator("#bk-error")).to_contain_text("11 位")
    if shots:
        page.screenshot(path=str(shots / "4_details_error.png"), full_page=True)
    page.fill("#bk-phone", phone)
    page.click("#bk-submit")
    expect(page.locator("#bk-status")).to_have_text("预约成功")
    code = page.locator("#bk-code").inner_text()
    assert len(code) == 6 and code.isdigit()
    expect(page.locator("#bk-qr")).to_be_visible()
    assert page.evaluate("document.getElementById('bk-qr').naturalWidth") > 0  # the QR really loaded
    if shots:
        page.screenshot(path=str(shots / "5_code.png"), full_page=True)
    return code


def test_a_resident_books_keeps_the_code_and_cancels_from_the_manage_link(
        browser: Browser, live: LiveServer, api: Api, shots: Path) -> None:
    ctx = browser.new_context(viewport=PHONE_VIEW, locale="zh-CN", has_touch=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    code = book(page, live, shots, "13900000001")
    expect(page.locator("#bk-when")).to_contain_text("退役军人优抚")
    expect(page.locator("#bk-how")).to_contain_text("我有预约")

    # The manage link shows the same booking and cancels it; the place goes back to the slot.
    page.click("#bk-manage")
    expect(page.locator("#bk-code")).to_have_text(code)
    expect(page.locator("#bk-cancel")).to_be_visible()
    page.screenshot(path=str(shots / "6_manage.png"), full_page=True)
    page.once("dialog", lambda d: d.accept())
    page.click("#bk-cancel")
    expect(page.locator("#bk-status")).to_have_text("预约已取消")
    expect(page.locator("#bk-cancel")).to_be_hidden()
    page.screenshot(path=str(shots / "7_cancelled.png"), full_page=True)

    # A second booking for the same phone and service is refused with the contract's reason.
    book(page, live, None, "13900000002")
    page.goto(live.url + "/m/book")
    page.get_by_role("button", name="退役军人优抚").click()
    page.locator("#bk-days button:enabled").first.click()
    page.locator("#bk-slots button:enabled").nth(1).click()
    page.fill("#bk-name", "王小明")
    page.fill("#bk-phone", "13900000002")
    page.click("#bk-submit")
    expect(page.locator("#bk-error")).to_contain_text("已经预约了这项业务")
    page.screenshot(path=str(shots / "8_refused.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    ctx.close()


def test_manage_shows_tomorrows_bookings_per_slot_and_the_figures(
        browser: Browser, live: LiveServer, api: Api, shots: Path) -> None:
    # A Monday morning whose tomorrow is a working day on the statutory calendar, whatever today is.
    monday = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    real = live.runtime.clock
    live.runtime.clock = lambda: monday
    try:
        show_tomorrow(browser, live, api, shots)
    finally:
        live.runtime.clock = real


def show_tomorrow(browser: Browser, live: LiveServer, api: Api, shots: Path) -> None:
    """Book two of tomorrow's slots and check /manage lists them per slot."""
    day = live.runtime.hall.local_date(live.runtime.clock()) + timedelta(days=1)
    slots = api.http.get("/api/appointments/slots", params={"service": "invoice", "date": day.isoformat()}).json()
    assert len(slots) >= 2, (day, slots)
    for i, phone in enumerate(("13900000021", "13900000022")):
        r = api.http.post("/api/appointments", json={"service": "invoice", "start": slots[i]["start"],
                                                      "name": "钱二", "phone": phone})
        assert r.status_code == 201, r.text
    api.user("zhang", role="manager", display_name="张主任")
    page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page.goto(live.url + "/manage#appointments")
    page.fill("input[name=username]", "zhang")
    page.fill("input[name=password]", "password-123")
    page.click("button[type=submit]")
    rows = page.locator("#appt-tomorrow tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("09:00–09:30")
    expect(rows.first).to_contain_text("发票办理")
    expect(page.locator("#appt-figures")).to_contain_text("近 30 天")
    expect(page.locator("#appt-note")).to_contain_text("预约份额 50%")
    page.locator("#appointments").screenshot(path=str(shots / "9_manage_appointments.png"))
    page.close()


def test_a_clerk_checks_a_resident_in_at_the_counter_by_code(
        browser: Browser, live: LiveServer, api: Api, shots: Path) -> None:
    day = live.runtime.hall.local_date(live.runtime.clock()) + timedelta(days=1)
    while not api.http.get("/api/appointments/slots", params={"service": "tax-filing", "date": day.isoformat()}).json():
        day += timedelta(days=1)
    slot = api.http.get("/api/appointments/slots", params={"service": "tax-filing", "date": day.isoformat()}).json()[0]
    booked = api.http.post("/api/appointments", json={"service": "tax-filing", "start": slot["start"],
                                                       "name": "孙三", "phone": "13900000031"}).json()
    start = datetime.fromisoformat(slot["start"])
    live.runtime.clock = lambda: start - timedelta(minutes=10)  # inside the check-in window
    api.user("liu", display_name="刘敏")
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page.goto(live.url + "/clerk")
    page.fill("#username", "liu")
    page.fill("#password", "password-123")
    page.click("#login-submit")
    page.click('[data-window-card="14"] [data-action="open"]')
    page.fill("#appt-code", "12")
    page.click("#appt-submit")
    expect(page.locator("#appt-result")).to_have_text("预约码是 6 位数字")
    page.fill("#appt-code", booked["code"])
    page.click("#appt-submit")
    expect(page.locator("#appt-result")).to_contain_text("已签到")
    expect(page.locator("#appt-result")).to_contain_text("预约 09:00 时段")
    page.locator("#appt-card").screenshot(path=str(shots / "10_clerk_checked_in.png"))
    page.fill("#appt-code", booked["code"])
    page.click("#appt-submit")
    expect(page.locator("#appt-result")).to_contain_text("没有找到这个预约码")
    page.locator("#appt-card").screenshot(path=str(shots / "11_clerk_code_used.png"))
    page.close()
