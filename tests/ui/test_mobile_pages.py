"""Phone pages in headless Chromium on a phone-sized viewport, against a real server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from queue_server.domain.passes import make_pass
from tests.support.live import Api, LiveServer
from tests.ui.conftest import CHROMIUM, CHROMIUM_ARGS

# Count vibrations and the oscillators the alert's chime starts, without touching page code.
PROBE = """
window.__vibrations = [];
navigator.vibrate = (p) => { window.__vibrations.push(p); return true; };
window.__tones = 0;
const C = window.AudioContext || window.webkitAudioContext;
if (C) {
  const make = C.prototype.createOscillator;
  C.prototype.createOscillator = function () {
    const osc = make.call(this);
    const start = osc.start.bind(osc);
    osc.start = (...a) => { window.__tones += 1; return start(...a); };
    return osc;
  };
}
"""




# Count the guide answers the page has read, so a test can tell when a late one arrived.
COUNT_GUIDE_ANSWERS = """
window.__guideRead = [];
const readJson = Response.prototype.json;
Response.prototype.json = function () {
  const url = this.url;
  return readJson.call(this).then((v) => {
    if (url.includes("/api/guide")) window.__guideRead.push(decodeURIComponent(url));
    return v;
  });
};
"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """Return a fresh phone: 360×740, touch, its own cookies and storage."""
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                              is_mobile=True, has_touch=True, locale="zh-CN")
    ctx.add_init_script(PROBE)
    yield ctx
    ctx.close()


@pytest.fixture
def shots(artifacts: Path) -> Path:
    """Return the folder for the phone screenshots."""
    out = artifacts / "mobile"
    out.mkdir(parents=True, exist_ok=True)
    return out


def valid_pass(live: LiveServer, ago: int = 0) -> str:
    """Return a hall pass minted ``ago`` seconds before the server's now."""
    rt = live.runtime
    token, _ = make_pass(rt.hall.secret, rt.hall.code, rt.clock() - timedelta(seconds=ago),
                         rt.hall.config.settings.pass_rotation_seconds)
    return token


def category_waiting(api: Api, code: str) -> int:
    """Return the board's waiting count for a category."""
    data = api.http.get("/api/queue").json()
    return int(next(c["waiting"] for c in data["categories"] if c["code"] == code))


def take_ticket(page: Page, live: LiveServer, category: str, service_name: str,
                phone: str = "") -> dict[str, Any]:
    """Take a ticket through the phone pages and return it as the API shows it."""
    page.goto(f"{live.url}/m?pass={valid_pass(live)}")
    page.locator("#categories button", has_text=category).click()
    page.locator("#services button", has_text=service_name).click()
    if phone:
        page.fill("#phone", phone)
    page.click("#take")
    page.wait_for_url(re.compile(r"/m/t/\d+\?token="))
    m = re.search(r"/m/t/(\d+)\?token=([^&]+)", page.url)
    assert m is not None
    r = httpx.get(f"{live.url}/api/tickets/{m.group(1)}", params={"token": m.group(2)})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_phone_ticket_follows_the_queue_alerts_on_call_and_recall_and_is_evaluated(
        live: LiveServer, api: Api, phone: BrowserContext, shots: Path) -> None:
    kiosk, _ = api.device("kiosk")
    admin = api.admin()
    ahead = [api.issue(kiosk, "forestry-permit") for _ in range(2)]
    page = phone.new_page()
    page.goto(f"{live.url}/m?pass={valid_pass(live)}")
    expect(page.locator("#categories button")).to_have_count(8)
    expect(page.locator("#categories button", has_text="农业林业")).to_contain_text("2 人等候")
    page.screenshot(path=str(shots / "m_01_categories.png"))
    page.locator("#categories button", has_text="农业林业").click()
    expect(page.locator("#services button", has_text="林木采伐")).to_contain_text("2 人等候")
    page.screenshot(path=str(shots / "m_02_service_choice.png"))
    page.locator("#services button", has_text="林木采伐").click()
    page.fill("#phone", "13800001234")
    page.screenshot(path=str(shots / "m_03_confirm.png"))
    page.click("#take")
    page.wait_for_url(re.compile(r"/m/t/\d+\?token="))
    m = re.search(r"/m/t/(\d+)\?token=([^&]+)", page.url)
    assert m is not None
    tid, token = int(m.group(1)), m.group(2)
    mine = httpx.get(f"{live.url}/api/tickets/{tid}", params={"token": token}).json()
    assert mine["channel"] == "mobile" and mine["phone"] == "138****1234"

    expect(page.locator("#t-number")).to_have_text(mine["number"])
    expect(page.locator("#t-status")).to_have_text("等候中")
    expect(page.locator("#t-ahead")).to_have_text("2 人")
    expect(page.locator("#t-windows")).to_contain_text(str(mine["windows"][0]))
    expect(page.locator("#t-conn")).to_be_hidden()
    page.screenshot(path=str(shots / "m_04_ticket_waiting.png"))

    window = mine["preferred_windows"][0]
    assert api.http.post(f"/api/windows/{window}/open", headers=admin).status_code == 200
    for i, other in enumerate(ahead):
        r = api.http.post(f"/api/windows/{window}/call-next", headers=admin)
        assert r.json()["ticket"]["id"] == other["id"]
        expect(page.locator("#t-ahead")).to_have_text(f"{1 - i} 人")
        expect(page.locator("#alert")).to_be_hidden()
        api.http.post(f"/api/windows/{window}/finish", headers=admin, json={"outcome": "done"})

    r = api.http.post(f"/api/windows/{window}/call-next", headers=admin)
    assert r.json()["ticket"]["id"] == tid
    expect(page.locator("#alert")).to_be_visible()  # how fast: benchmarks/bench_display.py
    expect(page.locator("#alert-window")).to_have_text(f"请到 {window} 号窗口 办理")
    expect(page.locator("#alert-number")).to_have_text(mine["number"])
    assert page.evaluate("window.__vibrations.length") == 1
    assert page.evaluate("window.__tones") >= 2
    page.screenshot(path=str(shots / "m_05_called_alert.png"))

    page.click("#alert-ok")
    expect(page.locator("#alert")).to_be_hidden()
    expect(page.locator("#t-status")).to_have_text("已叫号，请到窗口办理")
    expect(page.locator("#cancel-box")).to_be_hidden()
    api.http.post(f"/api/windows/{window}/recall", headers=admin)
    page.locator("#alert").wait_for(state="visible", timeout=2000)
    expect(page.locator("#alert-recall")).to_have_text("第 2 次叫号")
    assert page.evaluate("window.__vibrations.length") == 2
    page.click("#alert-ok")

    # A lost tab loses nothing: the bare link (no token) restores the ticket from this phone.
    page.close()
    page = phone.new_page()
    page.goto(f"{live.url}/m/t/{tid}")
    expect(page.locator("#t-number")).to_have_text(mine["number"])
    expect(page.locator("#t-status")).to_have_text("已叫号，请到窗口办理")
    expect(page.locator("#alert")).to_be_hidden()  # already acknowledged on this phone
    assert f"token={token}" in page.url
    page.goto(f"{live.url}/m?pass={valid_pass(live)}")
    expect(page.locator("#mine-link")).to_contain_text(mine["number"])
    page.click("#mine-link")
    page.wait_for_url(re.compile(rf"/m/t/{tid}\?token="))

    api.http.post(f"/api/windows/{window}/start", headers=admin)
    api.http.post(f"/api/windows/{window}/finish", headers=admin, json={"outcome": "done"})
    expect(page.locator("#evaluate")).to_be_visible()
    expect(page.locator("#grades button")).to_have_count(5)
    page.locator("#grades button", has_text="非常满意").click()
    expect(page.locator("#thanks")).to_be_visible()
    again = httpx.post(f"{live.url}/api/tickets/{tid}/evaluation",
                       json={"token": token, "grade": 1})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_evaluated"
    page.reload()
    expect(page.locator("#thanks")).to_be_visible()
    expect(page.locator("#evaluate")).to_be_hidden()


@pytest.mark.parametrize("kind", ["missing", "expired", "forged"])
def test_entry_without_a_valid_pass_explains_that_the_board_code_must_be_scanned(
        live: LiveServer, phone: BrowserContext, shots: Path, kind: str) -> None:
    good = valid_pass(live)
    query = {"missing": "", "expired": "?pass=" + valid_pass(live, ago=180),
             "forged": "?pass=" + good.split(".")[0] + ".AAAAAAAAAAAAAAAA"}[kind]
    page = phone.new_page()
    page.goto(f"{live.url}/m{query}")
    problem = page.locator("#pass-problem")
    expect(problem).to_be_visible()
    expect(problem).to_have_attribute("data-reason", {"forged": "invalid"}.get(kind, kind))
    expect(page.locator("#pass-title")).to_have_text("请扫描大厅显示屏上的二维码")
    expect(page.locator("#pass-text")).to_contain_text(
        {"missing": "二维码", "expired": "过期", "forged": "无效"}[kind])
    expect(page.locator("#step-category")).to_be_hidden()
    if kind == "expired":
        page.screenshot(path=str(shots / "m_07_pass_expired.png"))


def test_pass_that_expires_while_choosing_is_refused_with_a_chinese_message(
        live: LiveServer, api: Api, phone: BrowserContext) -> None:
    page = phone.new_page()
    page.goto(f"{live.url}/m?pass={valid_pass(live)}&service=invoice")
    expect(page.locator("#step-confirm")).to_be_visible()
    expect(page.locator("#confirm-title")).to_contain_text("发票")
    rt = live.runtime
    real = rt.clock
    rt.clock = lambda: real() + timedelta(seconds=3 * rt.hall.config.settings.pass_rotation_seconds)
    try:
        page.click("#take")
        expect(page.locator("#take-error")).to_contain_text("请扫描大厅显示屏上的二维码")
        expect(page.locator("#take-error")).to_have_attribute("data-code", "pass_required")
    finally:
        rt.clock = real
    assert category_waiting(api, "G") == 0
    assert "/m/t/" not in page.url


def test_cancel_drops_the_board_waiting_count_and_a_second_ticket_is_refused(
        live: LiveServer, api: Api, phone: BrowserContext) -> None:
    page = phone.new_page()
    mine = take_ticket(page, live, "税务", "发票")
    assert category_waiting(api, "G") == 1

    other = phone.new_page()
    other.goto(f"{live.url}/m?pass={valid_pass(live)}&service=invoice")
    other.click("#take")
    expect(other.locator("#take-error")).to_have_text("您已有这项业务的号码在等候，请勿重复取号")
    expect(other.locator("#mine-link")).to_contain_text(mine["number"])
    assert category_waiting(api, "G") == 1

    page.click("#cancel")
    expect(page.locator("#cancel-confirm")).to_be_visible()
    page.click("#cancel-no")
    expect(page.locator("#cancel-confirm")).to_be_hidden()
    assert category_waiting(api, "G") == 1
    page.click("#cancel")
    page.click("#cancel-yes")
    expect(page.locator("#t-status")).to_have_text("已取消")
    expect(page.locator("#cancel-box")).to_be_hidden()
    assert category_waiting(api, "G") == 0


def test_guide_finds_the_articles_matters_and_links_to_taking_a_ticket(
        live: LiveServer, phone: BrowserContext, shots: Path) -> None:
    page = phone.new_page()
    page.goto(f"{live.url}/m/guide")
    page.fill("#q", "林木采伐")
    page.click("#search button[type=submit]")
    felling = page.locator(".matter", has_text="林木采伐许可证核发")
    expect(felling).to_be_visible()
    expect(felling.locator(".badge")).to_have_text("✔ 本镇能办")
    expect(felling).to_contain_text("林业")
    expect(felling).to_contain_text("身份证")
    expect(felling).to_contain_text("延时办")
    page.screenshot(path=str(shots / "m_06_guide.png"))
    page.screenshot(path=str(shots / "m_06_guide_full.png"), full_page=True)

    page.fill("#q", "残疾证")
    page.click("#search button[type=submit]")
    cert = page.locator(".matter", has_text="更换残疾证")
    expect(cert).to_be_visible()
    expect(cert).to_contain_text("残疾人联合会")
    link = cert.locator("a.take-link")
    expect(link).to_have_attribute("href", re.compile(r"^/m\?service=disability-certificate"))
    expect(page.locator("#summary")).to_contain_text("找到")

    page.click("#browse-summary")
    page.locator("#browse button", has_text="农业林业").click()
    expect(page.locator("#summary")).to_contain_text("D 农业林业")
    expect(page.locator(".matter", has_text="林木采伐许可证核发")).to_be_visible()
    expect(page.locator(".matter", has_text="更换残疾证")).to_have_count(0)

    # With the pass from the board still in this tab, the guide's link goes straight to taking.
    page.goto(f"{live.url}/m?pass={valid_pass(live)}")
    expect(page.locator("#step-category")).to_be_visible()
    page.goto(f"{live.url}/m/guide?q=残疾证")
    page.locator(".matter", has_text="更换残疾证").locator("a.take-link").click()
    expect(page.locator("#step-confirm")).to_be_visible()
    expect(page.locator("#confirm-title")).to_contain_text("残疾人证")


def test_a_late_answer_to_an_older_search_never_replaces_the_newer_one(
        live: LiveServer, phone: BrowserContext) -> None:
    page = phone.new_page()
    page.add_init_script(COUNT_GUIDE_ANSWERS)
    held: list[Route] = []

    def hold_felling(route: Route) -> None:
        if "林木" in unquote(route.request.url):
            held.append(route)  # answered only after the newer search has drawn
        else:
            route.continue_()

    page.route("**/api/guide?q=*", hold_felling)
    page.goto(f"{live.url}/m/guide")
    with page.expect_request(lambda r: "林木" in unquote(r.url)):
        page.fill("#q", "林木采伐")
        page.click("#search button[type=submit]")
    # Set the words without an input event, so no debounced search can redraw afterwards.
    page.eval_on_selector("#q", "(el) => { el.value = '残疾证'; }")
    page.click("#search button[type=submit]")
    cert = page.locator(".matter", has_text="更换残疾证")
    expect(cert).to_be_visible()
    with page.expect_response(lambda r: "林木" in unquote(r.url)) as late:
        for route in held:
            route.continue_()
    assert late.value.ok and len(held) == 1
    page.wait_for_function("() => window.__guideRead.some((u) => u.includes('林木'))")
    expect(cert).to_be_visible()
    expect(page.locator(".matter", has_text="林木采伐许可证核发")).to_have_count(0)


def test_tapping_search_for_words_already_being_searched_asks_only_once(
        live: LiveServer, phone: BrowserContext) -> None:
    # On a slow phone the typed words' own search goes out before the resident taps 搜索.
    page = phone.new_page()
    asked: list[str] = []
    held: list[Route] = []

    def hold_felling(route: Route) -> None:
        words = unquote(route.request.url)
        asked.append(words)
        if "林木" in words:
            held.append(route)
        else:
            route.continue_()

    page.route("**/api/guide?q=*", hold_felling)
    page.goto(f"{live.url}/m/guide")
    with page.expect_request(lambda r: "林木" in unquote(r.url)):
        page.fill("#q", "林木采伐")  # typing stops: the search goes out by itself
    page.click("#search button[type=submit]")
    for route in held:
        route.continue_()
    expect(page.locator(".matter", has_text="林木采伐许可证核发")).to_be_visible()
    # A later search goes through the same route after any second request for the first words.
    page.fill("#q", "残疾证")
    page.click("#search button[type=submit]")
    expect(page.locator(".matter", has_text="更换残疾证")).to_be_visible()
    assert [w for w in asked if "林木" in w] == [asked[0]], asked


def test_pages_switch_to_english_and_remember_it(live: LiveServer, phone: BrowserContext) -> None:
    page = phone.new_page()
    page.goto(f"{live.url}/m/guide?lang=en")
    expect(page.locator("#search button[type=submit]")).to_have_text("Search")
    page.click("#lang-toggle")
    expect(page.locator("#search button[type=submit]")).to_have_text("搜索")
    page.click("#lang-toggle")
    expect(page.locator("#search button[type=submit]")).to_have_text("Search")
    page.goto(f"{live.url}/m")
    expect(page.locator("#pass-title")).to_have_text("Please scan the QR code on the hall's board")


def test_a_phone_that_blocks_sound_offers_a_drawn_bell_that_turns_it_on(
        live: LiveServer, api: Api, browser: Browser, shots: Path) -> None:
    # Browsers block sound until the page is touched; the shared test browser allows it, so this
    # phone is a browser of its own with the default policy.
    kiosk, _ = api.device("kiosk")
    ticket = api.issue(kiosk, "forestry-permit")
    strict = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[a for a in CHROMIUM_ARGS if not a.startswith("--autoplay")])
    try:
        page = strict.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                               is_mobile=True, has_touch=True, locale="zh-CN")
        page.goto(ticket["track_url"])
        button = page.locator("#sound-on")
        expect(button).to_be_visible()
        expect(button).to_have_text("点此开启叫号提示音")  # the label alone: no emoji to fall back to a box
        icon = page.locator("#sound-on svg.icon").bounding_box()
        assert icon is not None and icon["width"] >= 16 and icon["height"] >= 16, icon
        button.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "m_sound_button.png"))
        button.tap()
        expect(button).to_be_hidden()
    finally:
        strict.close()


def test_before_its_windows_open_the_phone_says_so_instead_of_no_wait(
        live: LiveServer, api: Api, phone: BrowserContext, shots: Path) -> None:
    kiosk, _ = api.device("kiosk")
    admin = api.admin()
    for _ in range(2):
        api.issue(kiosk, "forestry-permit")
    page = phone.new_page()
    page.goto(f"{live.url}/m?pass={valid_pass(live)}")
    expect(page.locator("#categories button", has_text="农业林业")).to_contain_text(
        "2 人等候 · 窗口还没开始办理")
    page.screenshot(path=str(shots / "m_closed_01_categories.png"))

    mine = take_ticket(page, live, "农业林业", "林木采伐")
    # Every window that serves it counts as open until one is: the third in line is called at once.
    assert mine["ahead"] == 2 and round(mine["eta_minutes"]) == 0, mine
    expect(page.locator("#t-eta")).to_have_text("窗口还没开始办理")
    expect(page.locator("#t-hint")).to_contain_text("窗口还没开始办理，开始后按顺序叫号")
    page.screenshot(path=str(shots / "m_closed_02_ticket.png"))

    # One window opens: the estimate becomes one window's, the ticket changes, the page asks again.
    window = mine["preferred_windows"][0]
    assert api.http.post(f"/api/windows/{window}/open", headers=admin).status_code == 200
    expect(page.locator("#t-eta")).to_have_text(re.compile(r"^约 \d+ 分钟$"))
    expect(page.locator("#t-hint")).to_contain_text("可以离开显示屏附近")
    page.screenshot(path=str(shots / "m_closed_03_opened.png"))


def test_the_first_in_line_sees_the_windows_open_within_the_next_check(
        live: LiveServer, api: Api, phone: BrowserContext) -> None:
    # First in line, its estimate is 0 before and after a window opens: no ticket message comes,
    # so the page finds out by asking again (every 15 s while none is open; the clock is faked).
    kiosk, _ = api.device("kiosk")
    admin = api.admin()
    mine = api.issue(kiosk, "invoice")
    assert (mine["ahead"], round(mine["eta_minutes"])) == (0, 0), mine
    page = phone.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/queue" in r.url else None)
    page.clock.install()
    page.goto(mine["track_url"])
    expect(page.locator("#t-eta")).to_have_text("窗口还没开始办理")
    # The socket's first view of the ticket just loaded moves nothing, so it asks nothing: a
    # question it asked could otherwise reach the hall after the window opens, at any time.
    before = len(asked)
    window = mine["preferred_windows"][0]
    assert api.http.post(f"/api/windows/{window}/open", headers=admin).status_code == 200
    page.clock.run_for(10_000)
    expect(page.locator("#t-eta")).to_have_text("窗口还没开始办理")  # not yet asked again
    assert len(asked) == before
    page.clock.run_for(6_000)
    expect(page.locator("#t-eta")).to_have_text("无需等候")
    assert len(asked) == before + 1
    expect(page.locator("#t-hint")).to_contain_text("可以离开显示屏附近")
