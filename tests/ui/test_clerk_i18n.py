"""Switch the clerk console between Chinese and English in Chromium against a live server."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.support.live import Api, LiveServer


def no_overflow(page: Page, selector: str) -> list[str]:
    """Return the elements under selector whose text is wider than their box."""
    return list(page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.id || e.className || e.tagName)"))


def test_clerk_console_switches_to_english_and_back(browser: Browser, live: LiveServer, api: Api,
                                                    artifacts: Path) -> None:
    out = artifacts / "clerk"
    out.mkdir(parents=True, exist_ok=True)
    api.user("li", display_name="李娜")
    kiosk, _ = api.device("kiosk")
    first = api.issue(kiosk, "invoice")
    api.issue(kiosk, "invoice")

    page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
    page.goto(live.url + "/clerk")
    expect(page.locator("#lang-toggle")).to_have_text("English")
    expect(page.locator("#login-submit")).to_have_text("登录")
    page.click("#lang-toggle")
    expect(page.locator("#login-submit")).to_have_text("Log in")
    expect(page.locator("#login h1")).to_have_text("Staff login")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.fill("#username", "li")
    page.fill("#password", "wrong-password")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text("Wrong username or password")
    page.fill("#password", "password-123")
    page.click("#login-submit")
    expect(page.locator("#chooser h1")).to_have_text("Choose your window")
    expect(page.locator('[data-window-card="1"] [data-action="open"]')).to_have_text("Open this window")
    page.click('[data-window-card="1"] [data-action="open"]')
    expect(page.locator("#win-title")).to_have_text("Window 1")
    expect(page.locator("#conn")).to_have_text("● Live")

    call_next = page.locator('[data-action="call-next"]')
    expect(call_next).to_have_attribute("id", "btn-call-next")
    expect(call_next.locator("span")).to_have_text("Call next")
    expect(call_next.locator("kbd")).to_have_text("+")
    expect(page.locator('[data-action="recall"]')).to_contain_text("Recall")
    expect(page.locator('[data-action="no-show"]')).to_contain_text("No-show")
    expect(page.locator("#win-status")).to_have_text("Open")
    expect(page.locator("#queue li[data-number]")).to_have_count(2)
    expect(page.locator("#queue li[data-number]").first).to_contain_text("Invoices")
    expect(page.locator("#queue-sub")).to_contain_text('In "Call next" order: G: 2')
    expect(page.locator("#current")).to_contain_text("No current ticket")
    expect(page.locator("#outcomes")).to_contain_text("Materials missing")
    expect(page.locator("#shortcut-table")).to_contain_text("Call next")
    expect(page.locator("#walkin-priority option").first).to_have_text("Normal")
    page.screenshot(path=str(out / "idle-en.png"), full_page=True)
    assert no_overflow(page, "#console button, .top *") == []
    assert page.evaluate("localStorage.getItem('hall.lang.clerk')") == "en"

    # The USB keypad works the same in English; the card and notice speak English too.
    page.keyboard.press("+")
    expect(page.locator("#current-number")).to_have_text(first["number"])
    expect(page.locator("#current-status")).to_have_text("Called, coming to the window")
    expect(page.locator("#notice")).to_have_text(f"Calling {first['number']}")
    expect(page.locator("#current .svc")).to_have_text("Invoices")
    expect(page.locator("#materials")).to_contain_text("Materials")
    page.locator("#materials [data-material]").first.check()
    page.keyboard.press("2")
    expect(page.locator('[data-action="finish"]')).to_contain_text("Finish: Deferred")
    page.screenshot(path=str(out / "calling-en.png"), full_page=True)
    assert no_overflow(page, "#console button") == []

    # The choice is remembered across a reload.
    page.reload()
    expect(page.locator("#win-title")).to_have_text("Window 1")
    expect(page.locator('[data-action="call-next"] span')).to_have_text("Call next")

    # Back to Chinese: labels, status, notice and the ticked materials are as before.
    page.locator("#materials [data-material]").first.check()
    page.click("#lang-toggle")
    expect(page.locator("#lang-toggle")).to_have_text("English")
    expect(page.locator('[data-action="call-next"] span')).to_have_text("叫下一位")
    expect(page.locator("#win-title")).to_have_text("1 号窗口")
    expect(page.locator("#current-status")).to_have_text("已叫号，等待到窗")
    expect(page.locator("#current .svc")).to_have_text(first["service_name"])
    expect(page.locator("#material-tally")).to_contain_text("已核对 1/")
    expect(page.locator("#materials [data-material]").first).to_be_checked()
    expect(page.locator("#conn")).to_have_text("● 实时")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.evaluate("localStorage.getItem('hall.lang.clerk')") == "zh"
