"""Drive the evaluation pad (好差评) in Chromium against a live server."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlmodel import Session, select

from queue_server.tickets.models import Evaluation
from tests.support.live import Api, LiveServer

VIEW: ViewportSize = {"width": 1280, "height": 800}




@pytest.fixture
def shots(artifacts: Path) -> Path:
    """Return the folder for pad screenshots."""
    out = artifacts / "pad"
    out.mkdir(parents=True, exist_ok=True)
    return out


def evaluations(live: LiveServer) -> list[Evaluation]:
    """Read the stored evaluations straight from the server's database."""
    with Session(live.runtime.engine) as session:
        return list(session.exec(select(Evaluation).order_by(Evaluation.id)).all())  # type: ignore[arg-type]


def serve_one(api: Api, clerk: dict[str, str], window: int) -> dict[str, object]:
    """Call, start and finish the next ticket at a window through the API."""
    called = api.http.post(f"/api/windows/{window}/call-next", headers=clerk).json()["ticket"]
    assert api.http.post(f"/api/windows/{window}/start", headers=clerk).status_code == 200
    return dict(called)


def finish(api: Api, clerk: dict[str, str], window: int) -> float:
    """Finish the current ticket and return the moment the server answered."""
    r = api.http.post(f"/api/windows/{window}/finish", headers=clerk, json={"outcome": "done"})
    assert r.status_code == 200, r.text
    return time.monotonic()


def open_pad(browser: Browser, live: LiveServer, window: int, token: str) -> Page:
    """Open the pad page the way an installer does: the token in the URL fragment."""
    page = browser.new_context(viewport=VIEW, locale="zh-CN", has_touch=True).new_page()
    page.goto(f"{live.url}/pad/{window}#token={token}")
    return page


def test_pad_prompts_when_the_resident_is_finished_and_stores_the_grade(browser: Browser, live: LiveServer,
                                                         api: Api, shots: Path) -> None:
    clerk = api.user("zhang", display_name="张敏")
    kiosk, _ = api.device("kiosk")
    pad_headers, pad_token = api.device("pad", window=3)
    t1 = api.issue(kiosk, "pension-insurance")
    t2 = api.issue(kiosk, "invoice")
    assert api.http.post("/api/windows/3/open", headers=clerk).status_code == 200

    page = open_pad(browser, live, 3, pad_token)
    expect(page.locator('[data-screen="idle"]')).to_be_visible()
    expect(page.locator('[data-screen="idle"]')).to_contain_text("3 号窗口")
    expect(page.locator("#clerk")).to_have_text("工作人员：张敏")
    assert "token" not in page.url, "the token leaves the address bar once it is stored"
    expect(page.locator("#conn")).to_be_hidden()
    page.screenshot(path=str(shots / "idle.png"))

    # Finishing the resident makes the pad ask at once.
    called = serve_one(api, clerk, 3)
    assert called["id"] == t1["id"]
    finish(api, clerk, 3)
    prompt = page.locator('[data-screen="prompt"]')
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text("请对本次服务进行评价")
    expect(prompt).to_contain_text(t1["number"])
    labels = prompt.locator("[data-grade] .label").all_inner_texts()
    assert labels == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    for box in [b.bounding_box() for b in prompt.locator("[data-grade]").all()]:
        assert box and box["height"] >= 0.4 * VIEW["height"]
        assert box["width"] >= 0.17 * VIEW["width"]
    page.screenshot(path=str(shots / "prompt.png"))

    page.locator('[data-screen="prompt"] [data-grade="5"]').tap()
    expect(page.locator('[data-screen="thanks"]')).to_be_visible()
    expect(page.locator('[data-screen="thanks"]')).to_contain_text("感谢您的评价")
    page.screenshot(path=str(shots / "thanks.png"))
    rows = evaluations(live)
    assert [(r.ticket_id, r.window, r.clerk, r.grade, r.source) for r in rows] == [
        (t1["id"], 3, "zhang", 5, "pad")]
    expect(page.locator('[data-screen="idle"]')).to_be_visible(timeout=8000)

    # A low grade asks why before it is stored.
    serve_one(api, clerk, 3)
    finish(api, clerk, 3)
    expect(page.locator('[data-screen="prompt"]')).to_be_visible(timeout=1000)
    page.locator('[data-screen="prompt"] [data-grade="2"]').tap()
    reason = page.locator('[data-screen="reason"]')
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("不满意")
    expect(page.locator("#submit-reasons")).to_be_disabled()
    assert len(evaluations(live)) == 1, "nothing is stored before a reason is given"
    page.locator('[data-reason="态度"]').tap()
    page.locator('[data-reason="效率"]').tap()
    expect(page.locator('[data-reason="态度"]')).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(shots / "reason.png"))
    page.locator("#submit-reasons").tap()
    expect(page.locator('[data-screen="thanks"]')).to_be_visible()
    last = evaluations(live)[-1]
    assert (last.ticket_id, last.grade, json.loads(last.reasons), last.clerk) == (
        t2["id"], 2, ["态度", "效率"], "zhang")

    # The grade is stored once; another window's pad may not grade this window.
    again = api.http.post("/api/windows/3/evaluation", headers=pad_headers, json={"grade": 5})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_evaluated")
    other, _ = api.device("pad", window=4)
    r = api.http.post("/api/windows/3/evaluation", headers=other, json={"grade": 1})
    assert r.status_code == 403
    assert len(evaluations(live)) == 2


def test_pad_ignores_other_windows_and_needs_a_token(browser: Browser, live: LiveServer,
                                                     api: Api) -> None:
    clerk = api.user("zhang", display_name="张敏")
    kiosk, _ = api.device("kiosk")
    _, pad_token = api.device("pad", window=3)
    api.issue(kiosk, "invoice")
    assert api.http.post("/api/windows/5/open", headers=clerk).status_code == 200

    page = open_pad(browser, live, 3, pad_token)
    expect(page.locator('[data-screen="idle"]')).to_be_visible()
    expect(page.locator("#wstatus")).to_have_text("本窗口暂停服务")
    expect(page.locator("#conn")).to_be_hidden()
    serve_one(api, clerk, 5)
    finish(api, clerk, 5)
    # Events reach the pad in order: once window 3's opening shows, window 5's calls have been seen too.
    other_clerk = api.user("li", display_name="李娜")
    assert api.http.post("/api/windows/3/open", headers=other_clerk).status_code == 200
    expect(page.locator("#wstatus")).not_to_have_text("本窗口暂停服务")
    expect(page.locator('[data-screen="idle"]')).to_be_visible()
    assert page.locator("body").get_attribute("data-phase") == "idle"

    bare = browser.new_context(viewport=VIEW).new_page()
    bare.goto(f"{live.url}/pad/3")
    expect(bare.locator('[data-screen="setup"]')).to_be_visible()
    expect(bare.locator('[data-screen="setup"]')).to_contain_text("#token=")
    assert api.http.get("/pad/99").status_code == 404
