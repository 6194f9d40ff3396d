"""The feedback loop in Chromium: a bad grade on the pad and a phone report reach /manage live."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.conftest import ARTIFACTS
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer

PHONE_VIEW = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def shots() -> Iterator[Path]:
    """Return this module's screenshot folder, cleaned once before its first test."""
    out = ARTIFACTS / "feedback"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    yield out


def manager_page(browser: Browser, live: LiveServer, api: Api) -> Page:
    """Sign a manager in on /manage#feedback, with nothing yet to follow."""
    page = signed_in_manager(browser, live, api)
    expect(page.locator("#fb-items")).to_contain_text("暂无需要跟进")
    return page


def signed_in_manager(browser: Browser, live: LiveServer, api: Api) -> Page:
    """Sign a manager in on /manage#feedback."""
    api.user("zhang", role="manager", display_name="张主任")
    page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page.goto(live.url + "/manage#feedback")
    page.fill("input[name=username]", "zhang")
    page.fill("input[name=password]", "password-123")
    page.click("button[type=submit]")
    page.wait_for_selector("#conn[data-state='on']")
    return page


def open_step(item: Locator, action: str) -> None:
    """Open a step's form; a live refresh that redraws the list under the pointer loses a click."""
    for _ in range(3):
        item.locator(f"[data-fb-action='{action}']").click()
        try:
            expect(item.locator(".fb-step")).to_be_visible(timeout=2000)
            return
        except AssertionError:
            continue
    expect(item.locator(".fb-step")).to_be_visible()


def test_a_bad_grade_and_a_phone_report_are_followed_to_a_close_on_manage(
        browser: Browser, live: LiveServer, api: Api, shots: Path) -> None:
    assert ADMIN_PASSWORD
    clerk = api.user("li", display_name="李芳")
    kiosk, _ = api.device("kiosk")
    _, pad_token = api.device("pad", window=3)
    t = api.issue(kiosk, "invoice", phone="13812341234")
    assert api.http.post("/api/windows/3/open", headers=clerk).status_code == 200
    manage = manager_page(browser, live, api)

    # The resident gives grade 1 with a reason on the pad.
    pad = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", has_touch=True).new_page()
    pad.goto(f"{live.url}/pad/3#token={pad_token}")
    expect(pad.locator('[data-screen="idle"]')).to_be_visible()
    api.http.post("/api/windows/3/call-next", headers=clerk)
    api.http.post("/api/windows/3/finish", headers=clerk, json={"outcome": "done"})
    pad.locator('[data-screen="prompt"] [data-grade="1"]').tap()
    pad.locator('[data-reason="态度"]').tap()
    pad.locator("#submit-reasons").tap()
    expect(pad.locator('[data-screen="thanks"]')).to_be_visible()

    # It appears on /manage without a reload, masked, with the figures.
    item = manage.locator(".fb-item").first
    expect(item).to_contain_text(t["number"], timeout=5000)
    expect(item).to_contain_text("3 号窗口 · 李芳")
    expect(item).to_contain_text("态度")
    expect(item).to_contain_text("138****1234")
    expect(manage.locator("[data-fb-kpi='bad'] .value")).to_have_text("1")
    expect(manage.locator("[data-fb-kpi='visited_pct'] .value")).to_have_text("0.0%")
    manage.locator("#feedback").screenshot(path=str(shots / "manage_new_item.png"))

    # The manager reveals the phone (audited), visits, rectifies and closes.
    item.locator("[data-fb-reveal]").click()
    expect(item).to_contain_text("13812341234")
    for action, note, status in (("visit", "电话回访，群众对等候时态度不满", "visited"),
                                 ("rectify", "已对窗口人员谈话提醒", "rectified"),
                                 ("close", "已电话反馈整改情况，群众表示认可", "")):
        item = manage.locator(".fb-item").first
        open_step(item, action)
        item.locator("textarea[name=note]").fill(note)
        if action == "visit":
            manage.screenshot(path=str(shots / "manage_visit_form.png"))
        item.locator(".fb-step button[type=submit]").click()
        if status:  # the next step is offered once this one is saved and the item redrawn
            expect(item).to_have_attribute("data-status", status)
        else:
            expect(manage.locator(".fb-item")).to_have_count(0)
    expect(manage.locator("[data-fb-kpi='visited_pct'] .value")).to_have_text("100.0%")
    expect(manage.locator("[data-fb-kpi='rectified_on_time_pct'] .value")).to_have_text("100.0%")
    expect(manage.locator("[data-fb-kpi='open'] .value")).to_have_text("0")
    manage.select_option("#fb-filter select[name=status]", "closed")
    expect(manage.locator(".fb-item.st-closed")).to_have_count(1)
    expect(manage.locator(".fb-item.st-closed .fb-history li")).to_have_count(4)
    expect(manage.locator("#fb-ranking tr[data-rank-window='3']")).to_contain_text("0.0%")
    manage.locator("#feedback").screenshot(path=str(shots / "manage_closed.png"))

    # A 「办不成事」 report from a phone, matter picked from the guide, appears there too.
    phone = browser.new_context(viewport=PHONE_VIEW, locale="zh-CN", has_touch=True,  # type: ignore[arg-type]
                                is_mobile=True, device_scale_factor=2).new_page()
    phone.goto(live.url + "/m/guide")
    phone.click("#to-feedback")
    expect(phone.locator("h1")).to_have_text("「办不成事」反映")
    phone.fill("#fb-q", "残疾")
    phone.click("#fb-find")
    first = phone.locator("#fb-matters button").first
    expect(first).to_be_visible()
    matter_name = first.inner_text()
    first.tap()
    expect(phone.locator("#fb-chosen-name")).to_have_text(matter_name)
    phone.fill("#fb-description", "办残疾人证跑了两趟，说要去县里评残，没人告诉我在哪里评")
    phone.fill("#fb-phone", "139 0000 1111")
    expect(phone.locator("#fb-counter")).to_contain_text("还可以写")
    phone.screenshot(path=str(shots / "phone_form.png"), full_page=True)
    phone.click("#fb-submit")
    expect(phone.locator("#fb-done")).to_be_visible()
    number = phone.inner_text("#fb-number")
    assert number.startswith("FK")
    phone.screenshot(path=str(shots / "phone_done.png"), full_page=True)

    manage.select_option("#fb-filter select[name=status]", "open,visited,rectified")
    report = manage.locator(".fb-item").first
    expect(report).to_contain_text(number, timeout=5000)
    expect(report).to_contain_text(f"事项：{matter_name}")
    expect(report).to_contain_text("139****1111")
    expect(manage.locator("[data-fb-kpi='cannot_do'] .value")).to_have_text("1")
    manage.locator("#feedback").screenshot(path=str(shots / "manage_report.png"))

    # English once: /manage re-renders the section in place (at 1280 px); the phone form follows ?lang=en.
    manage.set_viewport_size({"width": 1280, "height": 900})
    manage.click("#lang-toggle")
    expect(manage.locator("#feedback h2")).to_contain_text("Complaints")
    expect(report).to_contain_text(f"Matter: {matter_name}")
    report.locator("[data-fb-action='visit']").click()
    expect(report.locator(".fb-step")).to_contain_text("By phone")
    manage.locator("#feedback").screenshot(path=str(shots / "manage_en.png"))
    phone.goto(live.url + "/m/feedback?lang=en")
    expect(phone.locator("h1")).to_have_text("Could not get it done?")
    expect(phone.locator("#fb-counter")).to_have_text("500 characters left")
    phone.fill("#fb-q", "残疾")
    phone.click("#fb-find")
    expect(phone.locator("#fb-matters button").first).to_be_visible()
    phone.screenshot(path=str(shots / "phone_form_en.png"), full_page=True)


def test_a_step_clicked_while_the_last_one_is_saved_waits_for_it(
        browser: Browser, live: LiveServer, api: Api, shots: Path) -> None:
    r = api.http.post("/api/feedback", json={"kind": "cannot_do", "description": "补办身份证要跑县里，没人说清楚"})
    assert r.status_code == 201
    manage = signed_in_manager(browser, live, api)
    item = manage.locator(".fb-item").first
    expect(item).to_contain_text(r.json()["number"])
    open_step(item, "visit")
    item.locator("textarea[name=note]").fill("电话回访")
    item.locator(".fb-step button[type=submit]").click()
    expect(item).to_have_attribute("data-status", "visited")

    # The rectify step's answer is held back: meanwhile 「结案」 cannot be clicked into its form.
    held: list[Route] = []
    manage.route("**/api/feedback/*/rectify", lambda route: held.append(route))
    open_step(item, "rectify")
    item.locator("textarea[name=note]").fill("已谈话提醒")
    with manage.expect_request("**/api/feedback/*/rectify"):
        item.locator(".fb-step button[type=submit]").click()
    expect(item.locator("[data-fb-action='close']")).to_be_disabled()
    expect(item).to_have_class(re.compile(r"\bsaving\b"))
    manage.locator("#feedback").screenshot(path=str(shots / "manage_saving.png"))
    assert len(held) == 1
    held[0].continue_()
    expect(item).to_have_attribute("data-status", "rectified")
    expect(item.locator("[data-fb-action='close']")).to_be_enabled()
    open_step(item, "close")
    item.locator("textarea[name=note]").fill("已反馈整改情况")
    item.locator(".fb-step button[type=submit]").click()
    expect(manage.locator(".fb-item")).to_have_count(0)
    assert api.http.get(f"/api/feedback/{r.json()['id']}", headers=api.admin()).json()["status"] == "closed"


def test_a_note_being_typed_stays_while_the_list_is_redrawn_live(
        browser: Browser, live: LiveServer, api: Api) -> None:
    first = api.http.post("/api/feedback", json={"kind": "cannot_do", "description": "低保年审材料说不清"})
    assert first.status_code == 201
    manage = signed_in_manager(browser, live, api)
    item = manage.locator(f".fb-item[data-feedback='{first.json()['id']}']")
    expect(item).to_contain_text(first.json()["number"])
    open_step(item, "visit")
    note = item.locator("textarea[name=note]")
    note.fill("电话回访，群众说窗口")  # half a sentence: the manager is still typing
    # A resident reports meanwhile: the event redraws the list, with the new item on top.
    second = api.http.post("/api/feedback", json={"kind": "cannot_do", "description": "营业执照要跑两趟"})
    assert second.status_code == 201
    expect(manage.locator(".fb-item").first).to_contain_text(second.json()["number"])
    expect(manage.locator("#fb-count")).to_contain_text("2")
    expect(note).to_have_value("电话回访，群众说窗口")
    expect(note).to_be_focused()
    note.press("End")
    note.press_sequentially("态度不好")
    item.locator(".fb-step button[type=submit]").click()
    expect(item).to_have_attribute("data-status", "visited")
    history = api.http.get(f"/api/feedback/{first.json()['id']}", headers=api.admin()).json()["history"]
    assert history[-1]["note"] == "电话回访，群众说窗口态度不好"


def test_the_board_shows_a_feedback_qr(browser: Browser, live: LiveServer, shots: Path) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page.goto(live.url + "/display")
    qr = page.locator("#feedback-qr img")
    expect(qr).to_be_visible()
    page.wait_for_function("document.querySelector('#feedback-qr img').naturalWidth > 0")
    assert (qr.get_attribute("src") or "").endswith("/m/feedback")
    box = qr.bounding_box()
    assert box and box["y"] + box["height"] <= 1080 and box["width"] >= 110
    page.screenshot(path=str(shots / "board.png"))
