"""The SMS pages in headless Chromium against a real server: /manage 短信提醒, the /m opt-in, /clerk 登记短信提醒.

Texts are made through the real API (tickets with phones, calls) and go out through the hall's real
provider: `log` (recorded, never sent) or `http` pointed at tests/support/sms_gateway.py on a local
socket, which accepts or refuses each POST as the test tells it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.clock import MovableClock
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer
from tests.support.sms_gateway import SmsGateway
from tests.support.wait import eventually
from tests.ui.test_mobile_pages import valid_pass

pytestmark = pytest.mark.ui
TODAY = "2026-12-08 10:00"  # a Tuesday morning: the windows are open and no quiet hours
LOG_HALL = {"sms": {"provider": "log"}}


@pytest.fixture
def shots(artifacts: Path) -> Path:
    """Return artifacts/sms/ for this module's screenshots."""
    out = artifacts / "sms"
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    """Run the county's SMS gateway on a local socket."""
    with SmsGateway() as gw:
        yield gw


def hall(serve: Callable[..., LiveServer], sms: dict[str, Any],
         database_url: str = "") -> tuple[LiveServer, Api, MovableClock]:
    """Start a hall with these SMS settings, the clock held on a Tuesday morning."""
    live = serve(hall_settings={"sms": sms, "mobile_entry": "rotating"}, clock=TODAY, database_url=database_url)
    clock = live.runtime.clock
    assert isinstance(clock, MovableClock)
    return live, Api(live.url), clock


def messages(api: Api, headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
    """Return today's outbox as a manager reads it."""
    r = api.http.get("/api/sms", headers=headers, params=params)
    assert r.status_code == 200, r.text
    return list(r.json()["messages"])


def called_text(api: Api, headers: dict[str, str], number: str, status: str = "") -> dict[str, Any] | None:
    """Return the `called` text of a ticket number (in the given status), or None."""
    for m in messages(api, headers):
        if m["kind"] == "called" and m["params"].get("number") == number and (not status or m["status"] == status):
            return m
    return None


def serve_one(api: Api, clerk: dict[str, str], window: int, ticket: dict[str, Any]) -> None:
    """Call this ticket at the window and finish it."""
    r = api.http.post(f"/api/windows/{window}/call", headers=clerk, json={"ticket": ticket["id"]})
    assert r.status_code == 200, r.text
    r = api.http.post(f"/api/windows/{window}/finish", headers=clerk, json={"outcome": "done"})
    assert r.status_code == 200, r.text


def open_window(api: Api, clerk: dict[str, str], window: int) -> None:
    """Open a window for a clerk."""
    r = api.http.post(f"/api/windows/{window}/open", headers=clerk)
    assert r.status_code == 200, r.text


def manage(browser: Browser, live: LiveServer, username: str, password: str) -> Page:
    """Open /manage#sms as this user, logged in through the form; wait for the section's figures."""
    page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
    page.goto(live.url + "/manage#sms")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#sms-kpis [data-kpi=sent] .value")).to_be_visible(timeout=60_000)  # argon2 is slow here
    return page


def no_overlap(page: Page, selector: str) -> None:
    """Fail when any two of these elements' boxes overlap, or any text overflows its box."""
    boxes = page.locator(selector).evaluate_all("""els => els.map(e => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height, over: e.scrollWidth > e.clientWidth + 1, t: e.textContent };
    })""")
    for b in boxes:
        assert not b["over"], f"text overflows: {b['t']!r}"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            apart = (a["x"] + a["w"] <= b["x"] + 0.5 or b["x"] + b["w"] <= a["x"] + 0.5
                     or a["y"] + a["h"] <= b["y"] + 0.5 or b["y"] + b["h"] <= a["y"] + 0.5)
            assert apart, f"{a['t']!r} overlaps {b['t']!r}"


def test_manage_counts_logged_texts_apart_and_only_an_admin_may_send_a_test(
        browser: Browser, serve: Callable[..., LiveServer], shots: Path) -> None:
    live, api, _clock = hall(serve, {"provider": "log"})
    admin = api.admin()
    kiosk, _ = api.device("kiosk")
    li = api.user("li", display_name="李娜")
    api.user("wang", role="manager", display_name="王主任")
    texted = [api.issue(kiosk, "invoice", phone=f"1380000000{i}") for i in (1, 2)]
    silent = api.issue(kiosk, "invoice")
    open_window(api, li, 1)
    for t in (*texted, silent):
        serve_one(api, li, 1, t)
    eventually(lambda: all(called_text(api, admin, t["number"], "logged") for t in texted), 10, "logged texts")
    assert called_text(api, admin, silent["number"]) is None
    assert called_text(api, admin, texted[0]["number"])["phone"] == "138****0001"  # type: ignore[index]

    page = manage(browser, live, "wang", "password-123")
    kpis = page.locator("#sms-kpis")
    expect(kpis.locator("[data-kpi=logged] .value")).to_have_text("2")
    expect(kpis.locator("[data-kpi=logged] .sub")).to_have_text("日志模式，未实际发送")
    expect(kpis.locator("[data-kpi=sent] .value")).to_have_text("0")
    expect(kpis.locator("[data-kpi=rate] .value")).to_have_text("—")
    expect(page.locator("#sms-logged-note")).to_contain_text("日志模式，未实际发送")
    expect(page.locator("#sms-provider")).to_have_text("短信通道：日志模式（只记录，不实际发送）")
    expect(page.locator("#sms-days tr[data-day='2026-12-08'] td").nth(4)).to_have_text("2")
    expect(page.locator("#sms-failures tbody")).to_contain_text("没有发送失败的短信")
    expect(page.locator("#sms-test")).to_have_count(0)  # a manager has no test send
    r = api.http.post("/api/sms/test", headers={"Authorization": "Bearer " + api.login("wang", "password-123")},
                      json={"phone": "13800000009"})
    assert r.status_code == 403, r.text  # nor may the manager send one behind the page's back
    no_overlap(page, "#sms-kpis .kpi")
    page.locator("#sms").screenshot(path=str(shots / "manage-logged.png"))
    # A call while the manager watches: the figures follow without 查询.
    serve_one(api, li, 1, api.issue(kiosk, "invoice", phone="13800000003"))
    expect(kpis.locator("[data-kpi=logged] .value")).to_have_text("3", timeout=10_000)

    page = manage(browser, live, "admin", ADMIN_PASSWORD)
    expect(page.locator("#sms-test")).to_be_visible()
    page.fill("#sms-test-phone", "2380000")
    page.click("#sms-test-send")
    result = page.locator("#sms-test-result")
    expect(result).to_have_text("手机号应为以 1 开头的 11 位数字")
    expect(result).to_have_attribute("data-level", "error")
    page.fill("#sms-test-phone", "138 0000 0009")
    page.click("#sms-test-send")
    expect(result).to_contain_text("日志模式，未实际发送")
    expect(result).to_contain_text("138****0009")
    expect(result).to_have_attribute("data-level", "warning")
    page.locator("#sms").screenshot(path=str(shots / "manage-logged-admin.png"))
    page.click("#lang-toggle")
    expect(page.locator("#sms-logged-note")).to_contain_text("Log mode, nothing actually sent")
    expect(page.locator("#sms-test-send")).to_have_text("Send a test text")
    no_overlap(page, "#sms-kpis .kpi")
    page.locator("#sms").screenshot(path=str(shots / "manage-logged-en.png"))
    page.click("#lang-toggle")


def test_manage_shows_the_delivery_rate_and_each_failure_with_its_reason(
        browser: Browser, serve: Callable[..., LiveServer], gateway: SmsGateway, shots: Path, any_db: str) -> None:
    live, api, clock = hall(serve, {"provider": "http", "http_url": gateway.url}, any_db)
    admin = api.admin()
    kiosk, _ = api.device("kiosk")
    li = api.user("li", display_name="李娜")
    refused, delivered = (api.issue(kiosk, "invoice", phone=p) for p in ("13800000001", "13800000002"))
    open_window(api, li, 1)
    gateway.refuse(1, status=503, body=b"gateway busy")
    serve_one(api, li, 1, refused)
    gateway.wait_for(1)
    serve_one(api, li, 1, delivered)
    eventually(lambda: called_text(api, admin, delivered["number"], "sent"), 10, "the second text sent")
    # The first is retried for ten minutes before it counts as failed: the gateway keeps refusing.
    gateway.reply(503, b"gateway busy", "text/plain; charset=utf-8")
    clock.now += timedelta(minutes=11)
    failed = eventually(lambda: called_text(api, admin, refused["number"], "failed"), 15, "the first text failed")
    assert failed["phone"] == "138****0001" and failed["attempts"] >= 2
    assert all(p.json["id"] == failed["id"] for p in gateway.posts if p.json["params"]["number"] == refused["number"])

    page = manage(browser, live, "admin", ADMIN_PASSWORD)
    kpis = page.locator("#sms-kpis")
    expect(kpis.locator("[data-kpi=sent] .value")).to_have_text("1")
    expect(kpis.locator("[data-kpi=failed] .value")).to_have_text("1")
    expect(kpis.locator("[data-kpi=rate] .value")).to_have_text("50.0%")
    expect(kpis.locator("[data-kpi=logged] .value")).to_have_text("0")
    expect(page.locator("#sms-logged-note")).to_be_hidden()
    expect(page.locator("#sms-provider")).to_have_text("短信通道：县短信网关")
    row = page.locator(f"#sms-failures tr[data-sms='{failed['id']}']")
    expect(row).to_contain_text("叫号通知")
    expect(row).to_contain_text("138****0001")
    expect(row.locator(".reason")).to_contain_text("HTTP 503")
    expect(page.locator("#sms-days tr[data-day='2026-12-08'] [data-rate]")).to_have_text("50.0%")
    no_overlap(page, "#sms-kpis .kpi")
    page.locator("#sms").screenshot(path=str(shots / "manage-failures.png"))
    page.set_viewport_size({"width": 1024, "height": 900})  # a small office screen: one column, nothing cut
    no_overlap(page, "#sms-kpis .kpi")
    assert page.locator("#sms").evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    page.locator("#sms").screenshot(path=str(shots / "manage-failures-1024.png"))
    page.set_viewport_size({"width": 1440, "height": 1000})

    # The test send goes through the same gateway: refused, then accepted.
    posts = len(gateway.posts)
    page.fill("#sms-test-phone", "13800000009")
    page.click("#sms-test-send")
    result = page.locator("#sms-test-result")
    expect(result).to_contain_text("测试短信发送失败：HTTP 503")
    expect(result).to_have_attribute("data-level", "error")
    page.locator("#sms-test").screenshot(path=str(shots / "manage-test-failed.png"))
    gateway.wait_for(posts + 1)
    assert gateway.posts[posts].json["phone"] == "13800000009"
    gateway.reply(200, {"status": "accepted"})
    page.click("#sms-test-send")
    expect(result).to_have_text("测试短信已发送到 138****0009，请查看手机是否收到。")
    expect(result).to_have_attribute("data-level", "ok")
    page.locator("#sms-test").screenshot(path=str(shots / "manage-test-sent.png"))


def test_a_phone_ticket_that_ticks_sms_is_texted_when_called(
        browser: Browser, serve: Callable[..., LiveServer], shots: Path) -> None:
    live, api, _clock = hall(serve, {"provider": "log"})
    admin = api.admin()
    li = api.user("li", display_name="李娜")

    def phone_page() -> Page:
        ctx = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
        page = ctx.new_page()
        page.goto(f"{live.url}/m?pass={valid_pass(live)}&service=invoice")
        expect(page.locator("#take")).to_be_visible()
        return page

    def taken(page: Page) -> dict[str, Any]:
        page.wait_for_url(re.compile(r"/m/t/\d+\?token="))
        m = re.search(r"/m/t/(\d+)\?token=([^&]+)", page.url)
        assert m is not None
        r = api.http.get(f"/api/tickets/{m.group(1)}", params={"token": m.group(2)})
        assert r.status_code == 200, r.text
        return dict(r.json())

    page = phone_page()
    expect(page.locator("label[for=sms-optin]")).to_contain_text("短信提醒（叫号前发短信）")
    page.check("#sms-optin")
    page.click("#take")
    error = page.locator("#take-error")
    expect(error).to_have_text("要短信提醒，请填写正确的手机号（11 位数字，以 1 开头）。")
    page.screenshot(path=str(shots / "mobile-optin-no-phone.png"), full_page=True)
    page.fill("#phone", "2380000000")
    expect(error).to_be_hidden()  # the refusal goes with the change it was about
    page.click("#take")
    expect(error).to_have_text("要短信提醒，请填写正确的手机号（11 位数字，以 1 开头）。")
    page.fill("#phone", "13800000002")
    expect(error).to_be_hidden()
    expect(page.locator("#sms-optin")).to_be_checked()
    page.screenshot(path=str(shots / "mobile-optin.png"), full_page=True)
    page.click("#take")
    wanted = taken(page)

    other = phone_page()  # a phone given for the hall's limits only: no texts
    other.fill("#phone", "13800000003")
    expect(other.locator("#sms-optin")).not_to_be_checked()
    other.click("#take")
    unwanted = taken(other)

    open_window(api, li, 1)
    serve_one(api, li, 1, wanted)
    serve_one(api, li, 1, unwanted)
    text = eventually(lambda: called_text(api, admin, wanted["number"], "logged"), 10, "the opted-in ticket's text")
    assert text["phone"] == "138****0002" and text["params"]["window"] == "1"
    assert called_text(api, admin, unwanted["number"]) is None
    assert all("0003" not in m["phone"] for m in messages(api, admin))


def test_clerk_registers_a_phone_for_the_ticket_just_issued(
        browser: Browser, serve: Callable[..., LiveServer], shots: Path) -> None:
    live, api, _clock = hall(serve, {"provider": "log"})
    admin = api.admin()
    api.user("li", display_name="李娜")
    wang = api.user("wang", display_name="王芳")
    page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
    page.goto(live.url + "/clerk")
    page.fill("#username", "li")
    page.fill("#password", "password-123")
    page.click("#login-submit")
    page.click('[data-window-card="1"] [data-action="open"]')
    expect(page.locator("#win-title")).to_have_text("1 号窗口")
    expect(page.locator("#sms-none")).to_contain_text("取号或转移号码后，可在这里")

    page.select_option("#walkin-service", "invoice")
    page.click("#walkin-submit")
    expect(page.locator("#notice")).to_contain_text("已为窗口前的群众取号")
    number = page.locator("#sms-number")
    expect(number).to_have_text(re.compile(r"^G\d{3}$"))
    first = number.inner_text()
    page.fill("#sms-phone", "1380000")
    page.click("#sms-submit")
    result = page.locator("#sms-result")
    expect(result).to_have_text("手机号应为 11 位数字，以 1 开头")
    page.fill("#sms-phone", "13800000004")
    page.keyboard.press("Enter")  # in the field Enter registers; it does not finish a ticket
    expect(result).to_have_text(f"已登记：{first} 号快到号和叫号时会发短信到 138****0004")
    expect(result).to_have_class(re.compile(r"\bok\b"))
    page.locator("#sms-card").screenshot(path=str(shots / "clerk-registered.png"))
    page.screenshot(path=str(shots / "clerk-console.png"), full_page=True)

    page.click("#btn-call-next")
    expect(page.locator("#current-number")).to_have_text(first)
    expect(page.locator("#sms-none")).to_be_visible()  # called here: nothing left to text about
    text = eventually(lambda: called_text(api, admin, first, "logged"), 10, "the registered ticket's text")
    assert text["phone"] == "138****0004"
    page.click("#btn-finish")
    expect(page.locator('[data-testid="idle"]')).to_be_visible()

    # Called at another window before the phone is given: the server's refusal is shown.
    page.select_option("#walkin-service", "invoice")
    page.click("#walkin-submit")
    expect(number).not_to_have_text(first)
    second = number.inner_text()
    open_window(api, wang, 2)
    queue = api.http.get("/api/windows/2/queue", headers=wang).json()
    target = next(t for t in queue if t["number"] == second)
    r = api.http.post("/api/windows/2/call", headers=wang, json={"ticket": target["id"]})
    assert r.status_code == 200, r.text
    page.fill("#sms-phone", "13800000005")
    page.click("#sms-submit")
    expect(result).to_contain_text(f"{second} 号已被叫过或已结束")
    expect(result).to_have_class(re.compile(r"\bbad\b"))
    page.locator("#sms-card").screenshot(path=str(shots / "clerk-refused.png"))
    assert all("0005" not in m["phone"] for m in messages(api, admin))
