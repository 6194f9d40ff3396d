"""A matter from the window to the resident's hands: clerk console, receipt, phone, board."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from playwright.sync_api import Browser, Page, expect

from printer.virtual import VirtualPrinter
from queue_server.hallconfig.loader import bundled_yaml
from tests.support.live import Api, LiveServer

ID_NUMBER = "11010519491231002X"  # a valid GB 11643 check digit


@pytest.fixture(scope="module")
def out() -> Path:
    """Return artifacts/cases/, emptied once for this module's screenshots and receipts."""
    folder = Path(__file__).resolve().parents[2] / "artifacts" / "cases"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[VirtualPrinter]:
    with VirtualPrinter(port=0, out_dir=tmp_path / "printed", width_mm=80, prefix="window") as vp:
        yield vp


@pytest.fixture
def hall(tmp_path: Path, printer: VirtualPrinter) -> Iterator[LiveServer]:
    # Window 1 and the pickup window print on this test's own virtual printer (80 mm, gb18030).
    text = bundled_yaml().replace("printer: tcp://127.0.0.1:9100", f"printer: {printer.url}?width=80")
    config = tmp_path / "hall.yaml"
    config.write_text(text, encoding="utf-8")
    server = LiveServer(tmp_path / "var", config=config).start()
    yield server
    server.stop()


def decode_qr(png: Path) -> list[str]:
    from PIL import Image

    with Image.open(png) as img:
        return [r.text for r in zxingcpp.read_barcodes(img.convert("L"))]


def login_clerk(page: Page, base: str) -> None:
    page.goto(base + "/clerk")
    page.fill("#username", "clerk1")
    page.fill("#password", "password-123")
    page.click("#login-submit")
    page.click("[data-action='open'][data-window='1']")
    expect(page.locator("#win-status")).to_have_text("开放")


def test_clerk_records_a_deferred_case_the_resident_follows_it_and_the_board_calls_the_pickup(
        browser: Browser, hall: LiveServer, printer: VirtualPrinter, out: Path) -> None:
    api = Api(hall.url)
    api.user("clerk1", "clerk", "王丽")
    kiosk, _ = api.device("kiosk", name="大厅取号机")
    api.issue(kiosk, "rural-housing")

    board = browser.new_page(viewport={"width": 1920, "height": 1080})
    board.goto(hall.url + "/display")
    expect(board.locator("#offline")).to_be_hidden()

    page = browser.new_page(viewport={"width": 1600, "height": 1100})
    login_clerk(page, hall.url)
    page.click("[data-action='call-next']")
    page.click("[data-action='start']")
    expect(page.locator("#current-status")).to_have_attribute("data-status", "serving")
    ticket_number = page.inner_text("#current-number")

    # Record a deferred case for the resident being served.
    page.click("[data-action='case-tab'][data-tab='new']")
    page.fill("#case-matter-q", "建房")
    page.locator("[data-action='case-pick']").first.click()
    expect(page.locator("#case-picked .chip")).to_have_count(1)
    page.fill("#case-name", "王秀英")
    page.fill("#case-phone", "13800001234")
    page.fill("#case-id", ID_NUMBER)
    expect(page.locator("#case-link")).to_be_checked()
    with page.expect_response(lambda r: r.url.endswith("/api/cases") and r.request.method == "POST") as resp:
        page.click("[data-action='case-create']")
    created: dict[str, Any] = resp.value.json()
    assert created["mode"] == "deferred" and created["ticket"] is not None
    number, track_url = created["number"], created["track_url"]
    expect(page.locator("#case-msg")).to_contain_text(number)
    expect(page.locator("#case-number")).to_have_text(number)
    assert "138****1234" in page.inner_text("#case-detail") and "13800001234" not in page.content()

    # Print the 受理回执 at window 1: the PNG shows the number, and its QR opens the case page.
    page.click("[data-action='case-print'][data-kind='acceptance']")
    expect(page.locator("#case-msg")).to_contain_text("1 号窗口打印机")
    receipt = printer.wait_for(1, timeout=15)[0]
    assert receipt.png_path is not None
    shutil.copy(receipt.png_path, out / "receipt-acceptance.png")
    assert number in receipt.lines
    assert decode_qr(receipt.png_path) == [track_url]
    assert re.search(r"/m/c/\d+\?token=", track_url)
    page.locator("#cases").screenshot(path=str(out / "clerk-cases-panel.png"))
    page.click("[data-action='finish']")

    # The resident opens the QR's link on a phone.
    phone_ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone = phone_ctx.new_page()
    phone.goto(track_url)
    expect(phone.locator("#c-number")).to_have_text(number)
    expect(phone.locator("#c-status")).to_have_attribute("data-status", "accepted")
    expect(phone.locator("#c-pickup")).to_be_hidden()

    # A missing material: 补正 with the 一次性告知书, then resumed.
    page.click("[data-action='case-suspend']")
    page.locator("#case-detail [data-missing]").first.check()
    page.fill("#case-other", "村民小组会议记录")
    page.click("[data-action='case-suspend'][data-confirm]")
    expect(page.locator("#case-status")).to_have_attribute("data-status", "suspended")
    expect(phone.locator("#c-missing-list li")).to_have_count(2)
    page.click("[data-action='case-print'][data-kind='notice']")
    expect(page.locator("#case-msg")).to_contain_text("1 号窗口打印机")
    shutil.copy(printer.wait_for(2, timeout=15)[1].png_path, out / "receipt-notice.png")  # type: ignore[arg-type]
    page.click("[data-action='case-resume']")
    expect(page.locator("#case-status")).to_have_attribute("data-status", "accepted")
    phone.screenshot(path=str(out / "phone-case-accepted.png"), full_page=True)

    # Later: completed. The phone shows the pickup message live, the board lists and announces it.
    page.click("[data-action='case-complete']")
    page.click("[data-action='case-complete'][data-confirm]")
    expect(page.locator("#case-status")).to_have_attribute("data-status", "completed")
    expect(phone.locator("#c-pickup")).to_contain_text("已办结，请到 18 号窗口领取")
    phone.screenshot(path=str(out / "phone-case-pickup.png"), full_page=True)
    short = f"{number[:2]}…{number[-4:]}"
    expect(board.locator("#pickup li")).to_have_text([short])
    expect(board.locator("#pickup-window")).to_have_text("18")
    # The board queues the announcement in the same step that draws the line (no wait_for_function:
    # the page's CSP forbids the eval it needs).
    said = board.evaluate("window.__announcements.filter(a => a.kind === 'pickup').map(a => a.text)")
    assert said == [f"{short} 已办结，请到 18 号窗口领取"]
    board.screenshot(path=str(out / "board-pickup.png"))

    page.click("[data-action='case-print'][data-kind='completion']")
    expect(page.locator("#case-msg")).to_contain_text("1 号窗口打印机")
    shutil.copy(printer.wait_for(3, timeout=15)[2].png_path, out / "receipt-completion.png")  # type: ignore[arg-type]

    # The pickup window works through 待领取 and hands it over; the board drops the line.
    page.click("[data-action='case-tab'][data-tab='pickup']")
    page.locator(f"#case-list [data-action='case-open']:has-text('{number}')").click()
    page.click("[data-action='case-deliver-pickup']")
    expect(page.locator("#case-status")).to_have_attribute("data-status", "delivered")
    expect(board.locator("#pickup li")).to_have_count(0)
    expect(phone.locator("#c-pickup")).to_contain_text("已领取")
    assert ticket_number
    phone_ctx.close()


def test_a_printer_fault_is_explained_in_chinese_and_changes_nothing(
        browser: Browser, hall: LiveServer, printer: VirtualPrinter) -> None:
    from printer.status import PrinterStatus

    api = Api(hall.url)
    clerk = api.user("clerk1", "clerk", "王丽")
    r = api.http.post("/api/cases", headers=clerk, json={"matter": api.http.get(
        "/api/guide", params={"q": "残疾证"}).json()["matters"][0]["code"], "applicant": {"name": "李建国"}})
    assert r.status_code == 201, r.text
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    login_clerk(page, hall.url)
    page.click("[data-action='case-tab'][data-tab='search']") if page.locator(
        "[data-tab='search']").count() else None
    page.fill("#case-q", r.json()["number"])
    page.click("[data-action='case-search']")
    page.locator("#case-list [data-action='case-open']").first.click()
    printer.set_status(PrinterStatus.PAPER_OUT)
    page.click("[data-action='case-print'][data-kind='acceptance']")
    expect(page.locator("#case-msg")).to_have_attribute("data-code", "printer_fault")
    expect(page.locator("#case-msg")).to_contain_text("打印机故障")
    expect(page.locator("#case-msg")).to_contain_text("办件没有受影响")
    assert printer.receipts == []
    status = api.http.get(f"/api/cases/{r.json()['id']}", headers=clerk).json()["status"]
    assert status == r.json()["status"]


def test_the_new_case_form_keeps_what_was_typed_through_live_updates_and_a_language_switch(
        browser: Browser, hall: LiveServer) -> None:
    api = Api(hall.url)
    clerk = api.user("clerk1", "clerk", "王丽")
    kiosk, _ = api.device("kiosk", name="大厅取号机")
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    login_clerk(page, hall.url)
    page.click("[data-action='case-tab'][data-tab='new']")
    page.fill("#case-matter-q", "建房")
    page.locator("[data-action='case-pick']").first.click()
    page.fill("#case-name", "王秀英")
    page.fill("#case-phone", "1380000")  # half typed
    page.locator("#case-phone").focus()

    # Another window accepts a case and a resident takes a ticket: the panel and the console redraw.
    matter = api.http.get("/api/guide", params={"q": "残疾证"}).json()["matters"][0]["code"]
    with page.expect_response(lambda r: "/api/cases?status=accepted" in r.url):  # the panel reads again
        other = api.http.post("/api/cases", headers=clerk, json={"matter": matter, "applicant": {"name": "李建国"}})
        assert other.status_code == 201, other.text
    api.issue(kiosk, "invoice")
    expect(page.locator("#queue li[data-number]")).to_have_count(1)
    page.click("#lang-toggle")
    expect(page.locator(".newcase h3")).not_to_contain_text("受理")

    expect(page.locator("#case-name")).to_have_value("王秀英")
    expect(page.locator("#case-phone")).to_have_value("1380000")
    expect(page.locator("#case-picked .chip")).to_have_count(1)
