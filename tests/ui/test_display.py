"""The hall board and the window screens in headless Chromium, against a real server."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.live import Api, LiveServer

VIEWPORT = {"width": 1920, "height": 1080}




class Hall:
    """Staff, kiosk and board credentials for one live server."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.admin = api.admin()
        self.kiosk, _ = api.device("kiosk")
        _, self.display_token = api.device("display")

    def issue(self, service: str) -> dict[str, Any]:
        """Issue a kiosk ticket."""
        return self.api.issue(self.kiosk, service)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """Post as the admin and return the response."""
        return self.api.http.post(path, headers=self.admin, json=body)

    def open(self, n: int) -> None:
        """Open window n."""
        assert self.post(f"/api/windows/{n}/open").status_code == 200

    def call_next(self, n: int) -> str:
        """Call the next ticket at window n and return its number."""
        r = self.post(f"/api/windows/{n}/call-next")
        assert r.status_code == 200, r.text
        return str(r.json()["ticket"]["number"])


@pytest.fixture
def hall(api: Api) -> Hall:
    """Return the hall helper."""
    return Hall(api)


def open_board(browser: Browser, live: LiveServer, hall: Hall) -> Page:
    """Open /display with the display device token and wait for the first snapshot."""
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live.url}/display#token={hall.display_token}")
    page.wait_for_function("window.__board && window.__board.state.seq !== null", timeout=10000)
    assert "#token" not in page.url, "the token must leave the address bar"
    page.set_default_timeout(10000)
    page.__dict__["js_errors"] = errors
    return page


def open_window_screen(browser: Browser, live: LiveServer, n: int) -> Page:
    """Open the screen above window n and wait for its snapshot."""
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{live.url}/display/window/{n}")
    page.wait_for_function("window.__window && window.__window.state.seq !== null", timeout=10000)
    return page


def tile(page: Page, n: int) -> Any:
    """Return the tile of window n."""
    return page.locator(f'.tile[data-window="{n}"]')


def wait_announcements_done(page: Page, count: int, timeout: float = 90) -> list[dict[str, Any]]:
    """Wait until `count` announcements have ended and return the log."""
    page.wait_for_function(
        f"window.__announcements.filter(a => a.ended !== null).length >= {count}",
        timeout=timeout * 1000)
    log: list[dict[str, Any]] = page.evaluate("window.__announcements")
    return log


def test_call_next_appears_on_the_board_and_the_window_screen(
        browser: Browser, live: LiveServer, hall: Hall) -> None:
    board = open_board(browser, live, hall)
    screen = open_window_screen(browser, live, 10)
    hall.issue("forestry-permit")
    hall.open(10)
    number = hall.call_next(10)
    # How fast is benchmarks/bench_display.py's to measure; here, that it arrives.
    board.wait_for_function("n => document.getElementById('banner-number').textContent === n", arg=number)
    screen.wait_for_function("n => document.getElementById('ws-ticket').textContent === n", arg=number)
    assert tile(board, 10).locator(".tile-ticket").inner_text() == number
    assert tile(board, 10).get_attribute("data-status") == "called"
    assert board.locator("#banner-window").inner_text() == "10"
    assert board.locator("#recent li").first.inner_text().startswith(number)
    assert screen.locator("#ws-status").inner_text() == "呼叫中"
    assert "林业窗口" in screen.locator("#ws-name").inner_text()
    assert board.__dict__["js_errors"] == []


def test_a_recall_is_announced_again(browser: Browser, live: LiveServer, hall: Hall) -> None:
    board = open_board(browser, live, hall)
    hall.issue("invoice")
    hall.open(14)
    number = hall.call_next(14)
    first = wait_announcements_done(board, 1)
    assert hall.post("/api/windows/14/recall").status_code == 200
    board.wait_for_function("document.getElementById('banner-label').textContent === '再次呼叫'",
                            timeout=1000)
    log = wait_announcements_done(board, 2)
    assert [a["kind"] for a in log] == ["call", "recall"]
    assert all(a["text"] == f"请 {number} 号 到 14 号窗口 办理" for a in log)
    assert all(a["status"] == "done" and a["plays"] == 2 for a in log), log
    assert log[1]["started"] >= first[0]["ended"]


def test_three_quick_calls_give_three_whole_announcements_in_order(
        browser: Browser, live: LiveServer, hall: Hall) -> None:
    board = open_board(browser, live, hall)
    for service in ("pension-insurance", "rural-housing", "veterans-benefits"):
        hall.issue(service)
    for n in (5, 12, 9):
        hall.open(n)
    numbers = [hall.call_next(n) for n in (5, 12, 9)]
    log = wait_announcements_done(board, 3, timeout=120)
    assert [(a["number"], a["window"]) for a in log] == list(zip(numbers, (5, 12, 9), strict=True))
    for a in log:
        # Headless Chromium has no voices: the server's offline audio must have been used.
        assert a["status"] == "done", a
        assert a["source"] == "audio"
        assert a["plays"] == 2
        assert a["ended"] - a["started"] > 2000  # a chime and two whole sayings take seconds
    for before, after in itertools.pairwise(log):
        assert after["started"] >= before["ended"], "announcements must never cut each other off"
    assert log[0]["text"] == f"请 {numbers[0]} 号 到 5 号窗口 办理"
    assert "零" in log[0]["spoken"]  # digit by digit by default


def test_paused_and_closed_windows_look_different(
        browser: Browser, live: LiveServer, hall: Hall) -> None:
    board = open_board(browser, live, hall)
    screen = open_window_screen(browser, live, 3)
    hall.open(3)
    hall.open(4)
    assert hall.post("/api/windows/3/pause", {"reason": "break"}).status_code == 200
    board.wait_for_function(
        "document.querySelector('.tile[data-window=\"3\"]').dataset.status === 'paused'", timeout=1000)
    assert tile(board, 3).locator(".tile-status").inner_text() == "暂停"
    assert tile(board, 4).locator(".tile-status").inner_text() == "空闲"
    assert tile(board, 5).locator(".tile-status").inner_text() == "未开放"
    colours = {n: tile(board, n).evaluate("el => getComputedStyle(el).backgroundColor")
               for n in (3, 4, 5)}
    assert len(set(colours.values())) == 3, colours
    screen.wait_for_function("document.body.dataset.status === 'paused'", timeout=1000)
    assert "暂停" in screen.locator("#ws-status").inner_text()


def test_before_a_category_has_an_open_window_the_board_says_it_has_not_started(
        browser: Browser, live: LiveServer, hall: Hall, artifacts: Path) -> None:
    # Its estimate assumes every window that serves it is open until one is: 「约 0 分钟」 read as
    # "no wait" at 8:20.
    hall.issue("forestry-permit")
    board = open_board(browser, live, hall)
    forestry = board.locator('.cat[data-cat="D"]')
    expect(forestry).to_have_attribute("data-open", "no")
    expect(forestry.locator(".cat-waiting")).to_have_text("1")
    expect(forestry.locator(".cat-closed")).to_be_visible()
    expect(forestry.locator(".cat-closed")).to_have_text("未开始办理")
    expect(forestry.locator(".cat-wait")).to_be_hidden()
    (artifacts / "display").mkdir(parents=True, exist_ok=True)
    board.screenshot(path=str(artifacts / "display" / "board-before-opening.png"), animations="disabled")
    expect(board.locator('.cat[data-open="no"]')).to_have_count(8)
    # In this hall every window serves every category in some tier, so one open window opens
    # them all (which windows serve which is configuration: tests/js/display_state.test.mjs).
    hall.open(10)
    expect(forestry).to_have_attribute("data-open", "yes")
    expect(forestry.locator(".cat-closed")).to_be_hidden()
    expect(forestry.locator(".cat-wait")).to_be_visible()
    expect(board.locator('.cat[data-open="no"]')).to_have_count(0)
    # The window event brings the new estimates at once, not at the next 30 s poll: one window
    # for the one waiting forestry ticket, so a new one waits a handling time.
    queue = hall.api.http.get("/api/queue").json()
    eta = next(c["eta_minutes"] for c in queue["categories"] if c["code"] == "D")
    assert eta >= 0.5, queue["categories"]
    expect(forestry.locator(".cat-eta")).to_have_text(str(math.floor(eta + 0.5)))  # as Math.round


def test_the_board_survives_a_server_restart_and_catches_up_without_a_reload(
        browser: Browser, live: LiveServer, hall: Hall) -> None:
    for service in ("invoice", "invoice", "forestry-permit"):
        hall.issue(service)
    hall.open(14)
    first = hall.call_next(14)
    board = open_board(browser, live, hall)
    screen = open_window_screen(browser, live, 10)
    board.wait_for_function(
        "n => document.getElementById('banner-number').textContent === n", arg=first, timeout=8000)
    board.evaluate("window.__sameDocument = 'yes'")
    live.stop()
    expect(board.locator("#offline")).to_contain_text("连接中断", timeout=5000)
    screen.wait_for_selector("#offline", state="visible", timeout=5000)
    live.start()
    # Calls made at once, before the board's next attempt (its backoff is up to 5 s).
    assert hall.post("/api/windows/14/finish", {"outcome": "done"}).status_code == 200
    second = hall.call_next(14)
    hall.open(10)
    third = hall.call_next(10)
    assert hall.post("/api/windows/14/pause").status_code == 200
    board.wait_for_selector("#offline", state="hidden", timeout=8000)
    board.wait_for_function(
        "n => document.querySelector('.tile[data-window=\"10\"] .tile-ticket').textContent === n",
        arg=third, timeout=8000)
    assert tile(board, 14).locator(".tile-ticket").inner_text() == second
    assert tile(board, 14).get_attribute("data-status") == "paused"
    assert board.evaluate("window.__sameDocument") == "yes", "the page must not reload"
    sockets = board.evaluate("window.__board.sockets.filter(s => s.opened)")
    resumed = sockets[-1]
    assert "since=" in resumed["url"], sockets
    assert resumed["first"] != "snapshot", "a resume replays the missed events, not a snapshot"
    recent = board.locator("#recent li b").all_inner_texts()
    assert recent[:3] == [third, second, first]
    screen.wait_for_function(
        "n => document.getElementById('ws-ticket').textContent === n", arg=third, timeout=8000)


def test_board_shows_the_pass_qr_only_with_a_display_token(
        browser: Browser, live: LiveServer, hall: Hall) -> None:
    board = open_board(browser, live, hall)
    board.wait_for_selector("#pass", state="visible", timeout=5000)
    src = board.locator("#pass-qr").get_attribute("src") or ""
    assert "/display/qr.svg?data=" in src and "%2Fm%3Fpass%3D" in src
    assert board.locator("#pass-qr").evaluate("img => img.naturalWidth") > 0
    anonymous = browser.new_context(viewport=VIEWPORT)
    page = anonymous.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/hall-pass" in r.url else None)
    page.goto(live.url + "/display")
    page.wait_for_function("window.__board && window.__board.state.seq !== null", timeout=10000)
    expect(page.locator("#pass")).to_be_hidden()
    assert asked == [], "a board without a display token must not even ask for the pass"
    anonymous.close()


def test_board_shows_the_configured_notice_date_and_time(
        browser: Browser, live: LiveServer, hall: Hall) -> None:
    board = open_board(browser, live, hall)
    notice = live.runtime.hall.config.settings.notice
    assert notice and board.locator("#notice").inner_text() == notice
    assert board.locator(".ticker-track").evaluate(
        "el => getComputedStyle(el).animationName") == "scroll"
    assert "年" in board.locator("#date").inner_text()
    assert len(board.locator("#time").inner_text().split(":")) == 3


def test_window_screen_for_an_unknown_window_is_a_json_404(live: LiveServer, api: Api) -> None:
    r = api.http.get("/display/window/99")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def _no_overlap(page: Page) -> None:
    boxes = page.evaluate("""() => [...document.querySelectorAll(
        '.top, .banner, .tile, .recent, .cat, .ticker')].map(el => {
        const r = el.getBoundingClientRect();
        return {id: el.className + (el.dataset.window || el.dataset.cat || ''),
                x: r.x, y: r.y, w: r.width, h: r.height,
                clipped: el.scrollHeight > el.clientHeight + 1 && !el.matches('.ticker')};
    })""")
    for b in boxes:
        assert b["x"] >= 0 and b["y"] >= 0, b
        assert b["x"] + b["w"] <= 1920.5 and b["y"] + b["h"] <= 1080.5, b
        assert not b["clipped"], f"content spills out of {b['id']}"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            overlap_x = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            overlap_y = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (a["id"], b["id"])


def test_screenshots_with_real_data(browser: Browser, live: LiveServer, hall: Hall,
                                    artifacts: Path) -> None:
    out = artifacts / "display"
    out.mkdir(parents=True, exist_ok=True)
    services = ["forestry-permit", "invoice", "pension-insurance", "rural-housing",
                "disability-certificate", "veterans-benefits"]
    for _ in range(4):
        for s in services:
            hall.issue(s)
    board = open_board(browser, live, hall)
    for n in (1, 2, 5, 8, 10, 12, 14, 17):
        hall.open(n)
        hall.call_next(n)
    for n in (2, 8, 17):
        assert hall.post(f"/api/windows/{n}/start").status_code == 200
    hall.open(7)
    hall.post("/api/windows/7/pause")
    assert hall.post("/api/windows/10/recall").status_code == 200
    board.wait_for_function(
        "document.querySelector('.tile[data-window=\"7\"]').dataset.status === 'paused'")
    board.wait_for_selector("#pass", state="visible")
    board.locator("#pass-qr").evaluate("img => img.decode()")
    board.evaluate("document.fonts.ready.then(() => true)")
    board.screenshot(path=str(out / "board.png"), animations="disabled")
    _no_overlap(board)
    busy = board.locator('.tile[data-status="called"], .tile[data-status="serving"]').count()
    assert busy == 8
    screen = open_window_screen(browser, live, 10)
    expect(screen.locator("#ws-ticket")).not_to_be_empty()
    screen.evaluate("document.fonts.ready.then(() => true)")
    screen.screenshot(path=str(out / "window-10.png"), animations="disabled")
    size = screen.locator("#ws-ticket").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 300, size
    assert screen.locator("#ws-ticket").evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    paused = open_window_screen(browser, live, 7)
    paused.screenshot(path=str(out / "window-7-paused.png"))
    for name in ("board.png", "window-10.png", "window-7-paused.png"):
        assert (out / name).stat().st_size > 20000
