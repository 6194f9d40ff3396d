"""The 帮办代办 window's 代办件 tab: a village agent's case reaches the clerk at window 17 and is done there."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.support.agents import agent, home_body
from tests.support.live import Api, LiveServer

TAB_ON = re.compile(r"\bon\b")


@pytest.fixture(scope="module")
def out() -> Path:
    """Return artifacts/proxy-cases/, emptied once for this module's screenshots."""
    folder = Path(__file__).resolve().parents[2] / "artifacts" / "proxy-cases"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def matter(api: Api, q: str) -> str:
    return str(api.http.get("/api/guide", params={"q": q}).json()["matters"][0]["code"])


def test_an_agents_case_is_listed_under_proxy_cases_at_window_17_and_processed_there(
        browser: Browser, live: LiveServer, api: Api, out: Path) -> None:
    a1 = agent(api, "agent1", "V01", "李代办")
    clerk = api.user("clerk1", "clerk", "王丽")
    r = api.http.post("/api/cases", headers=a1, json={"matter": matter(api, "残疾证"),
                                                      "applicant": {"name": "张大爷", "phone": "13800001234"}})
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["channel"] == "agent" and case["station"] == "V01"
    home = api.http.post("/api/cases", headers=a1, json=home_body(matter(api, "高龄津贴"), name="陈奶奶"))
    assert home.status_code == 201, home.text
    window_case = api.http.post("/api/cases", headers=clerk, json={
        "matter": matter(api, "残疾证"), "applicant": {"name": "刘阿姨"}})
    assert window_case.status_code == 201, window_case.text

    page = browser.new_page(viewport={"width": 1600, "height": 1100})
    page.goto(live.url + "/clerk")
    page.fill("#username", "clerk1")
    page.fill("#password", "password-123")
    page.click("#login-submit")
    page.click("[data-action='open'][data-window='17']")
    expect(page.locator("#win-status")).to_have_text("开放")

    # The proxy window opens on 代办件: the village cases, not the window's own case.
    tab = page.locator("[data-action='case-tab'][data-tab='proxy']")
    expect(tab).to_have_class(TAB_ON)
    expect(tab).to_contain_text("代办件")
    expect(page.locator("#case-proxy-hint")).to_be_visible()
    rows = page.locator("#case-list [data-action='case-open']")
    expect(rows).to_have_count(2)
    expect(page.locator("#case-list")).not_to_contain_text("刘阿姨")
    expect(rows.filter(has_text="张大爷")).to_contain_text("V01 · 村能办")
    expect(rows.filter(has_text="陈奶奶")).to_contain_text("V01 · 家能办")

    rows.filter(has_text="张大爷").click()
    expect(page.locator("#case-number")).to_have_text(case["number"])
    expect(page.locator("#case-detail")).to_contain_text("V01 · 村能办")
    page.click("[data-action='case-process']")
    expect(page.locator("#case-status")).to_have_attribute("data-status", "processing")
    page.click("[data-action='case-complete']")
    page.click("[data-action='case-complete'][data-confirm='1']")
    expect(page.locator("#case-status")).to_have_attribute("data-status", "completed")
    # Still the proxy window's work until the agent has carried the result back.
    expect(tab).to_have_class(TAB_ON)
    expect(rows.filter(has_text="张大爷")).to_contain_text("已办结")
    expect(page.locator("[data-action='case-deliver-agent']")).to_have_text("代办员已送达")
    page.locator("#cases").screenshot(path=str(out / "clerk-proxy-cases.png"))

    page.click("[data-action='case-deliver-agent']")
    expect(page.locator("#case-status")).to_have_attribute("data-status", "delivered")
    expect(rows).to_have_count(1)
    seen = api.http.get(f"/api/cases/{case['id']}", headers=a1).json()
    assert seen["status"] == "delivered" and seen["delivery"] == "agent"
    page.screenshot(path=str(out / "clerk-window-17.png"), full_page=True)
    page.close()
