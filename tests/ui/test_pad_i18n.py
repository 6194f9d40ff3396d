"""Switch the evaluation pad between Chinese and English in Chromium against a live server."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlmodel import Session, col, select

from queue_server.tickets.models import Evaluation
from tests.support.live import Api, LiveServer
from tests.support.wait import eventually

VIEW: ViewportSize = {"width": 1280, "height": 800}




def serve_and_finish(api: Api, clerk: dict[str, str], window: int) -> dict[str, object]:
    """Call, start and finish the next ticket at a window through the API."""
    called = api.http.post(f"/api/windows/{window}/call-next", headers=clerk).json()["ticket"]
    assert api.http.post(f"/api/windows/{window}/start", headers=clerk).status_code == 200
    r = api.http.post(f"/api/windows/{window}/finish", headers=clerk, json={"outcome": "done"})
    assert r.status_code == 200, r.text
    return dict(called)


def overflowing(page: Page, selector: str) -> list[str]:
    """Return the visible elements under selector whose text is wider than they are or sticks out of their parent."""
    return list(page.locator(selector).evaluate_all("""els => els.filter(e => {
        if (!e.offsetParent) return false;
        const r = e.getBoundingClientRect(), p = e.parentElement.getBoundingClientRect();
        return e.scrollWidth > e.clientWidth + 1 || r.left < p.left - 1 || r.right > p.right + 1
          || r.top < p.top - 1 || r.bottom > p.bottom + 1;
      }).map(e => e.textContent)"""))


def test_pad_switches_to_english_mid_prompt_and_back(browser: Browser, live: LiveServer, api: Api,
                                                      artifacts: Path) -> None:
    out = artifacts / "pad"
    out.mkdir(parents=True, exist_ok=True)
    clerk = api.user("zhang", display_name="张敏")
    kiosk, _ = api.device("kiosk")
    _, pad_token = api.device("pad", window=1)
    api.issue(kiosk, "invoice")
    api.issue(kiosk, "invoice")
    assert api.http.post("/api/windows/1/open", headers=clerk).status_code == 200
    window_en = next(w["name_en"] for w in api.http.get("/api/catalog").json()["windows"]
                     if w["number"] == 1)
    assert window_en

    page = browser.new_context(viewport=VIEW, locale="zh-CN", has_touch=True).new_page()
    page.goto(f"{live.url}/pad/1#token={pad_token}")
    idle = page.locator('[data-screen="idle"]')
    expect(idle).to_contain_text("1 号窗口")
    expect(page.locator("#lang-toggle")).to_have_text("English")
    page.locator("#lang-toggle").tap()
    expect(idle).to_contain_text("Window 1")
    expect(page.locator("#wname")).to_have_text(window_en)
    expect(page.locator("#clerk")).to_have_text("Clerk: 张敏")
    expect(page.locator("#wstatus")).to_have_text("Welcome! Please come to the window")
    assert page.evaluate("localStorage.getItem('hall.lang.pad')") == "en"

    # The prompt comes in English; the grade buttons keep their data-grade values.
    t1 = serve_and_finish(api, clerk, 1)
    prompt = page.locator('[data-screen="prompt"]')
    expect(prompt).to_be_visible(timeout=2000)
    expect(prompt.locator("h1")).to_have_text("Please rate our service")
    expect(prompt).to_contain_text(f"Ticket {t1['number']} · Window 1")
    labels = prompt.locator("[data-grade] .label").all_inner_texts()
    assert labels == ["Very satisfied", "Satisfied", "Acceptable", "Dissatisfied", "Very dissatisfied"]
    assert [b.get_attribute("data-grade") for b in prompt.locator("[data-grade]").all()] == [
        "5", "4", "3", "2", "1"]
    page.screenshot(path=str(out / "prompt-en.png"))
    assert overflowing(page, '[data-screen="prompt"] .grade .label, [data-screen="prompt"] .grade .stars') == []
    assert page.evaluate("document.documentElement.lang") == "en"

    # A low grade asks why in English; the reasons stored stay the Chinese codes.
    page.locator('[data-screen="prompt"] [data-grade="1"]').tap()
    reason = page.locator('[data-screen="reason"]')
    expect(reason.locator("h1")).to_have_text('You chose "Very dissatisfied"')
    expect(page.locator('[data-reason="态度"]')).to_have_text("Attitude")
    expect(page.locator("#submit-reasons")).to_have_text("Submit")
    page.locator('[data-reason="效率"]').tap()
    page.screenshot(path=str(out / "reason-en.png"))
    assert overflowing(page, '[data-screen="reason"] button, [data-screen="reason"] h1 span') == []

    # Switching back mid-screen keeps the screen and the choice, in Chinese.
    page.locator("#lang-toggle").tap()
    expect(reason).to_be_visible()
    expect(reason.locator("h1")).to_have_text("您选择了「非常不满意」")
    expect(page.locator('[data-reason="效率"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#submit-reasons")).to_have_text("提交评价")
    page.locator("#submit-reasons").tap()
    expect(page.locator('[data-screen="thanks"]')).to_contain_text("感谢您的评价")
    def stored() -> list[Evaluation]:
        with Session(live.runtime.engine) as session:
            return list(session.exec(select(Evaluation).order_by(col(Evaluation.id))).all())

    rows = eventually(stored, what="the grade stored")
    assert [(r.ticket_id, r.grade, json.loads(r.reasons)) for r in rows] == [(t1["id"], 1, ["效率"])]
    assert page.evaluate("localStorage.getItem('hall.lang.pad')") == "zh"

    # The remembered choice survives a reload.
    page.locator("#lang-toggle").tap()
    page.reload()
    expect(idle).to_contain_text("Window 1")
    expect(idle.locator(".foot")).to_have_text("When your business is done, please rate our service")

    # The next resident who chose English is rated in English; the pad then returns to Chinese.
    serve_and_finish(api, clerk, 1)
    expect(prompt.locator("h1")).to_have_text("Please rate our service", timeout=2000)
    page.locator('[data-screen="prompt"] [data-grade="5"]').tap()
    expect(page.locator('[data-screen="thanks"]')).to_be_visible()
    expect(idle).to_contain_text("1 号窗口", timeout=10_000)
    assert page.evaluate("localStorage.getItem('hall.lang.pad')") == "zh"
