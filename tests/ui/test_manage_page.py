"""The manager's page on a busy simulated day, in headless Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, expect

from queue_server.devtools.simulate import simulate
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer


class FakeClock:
    """A clock the test moves forward."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_manage_page_shows_a_busy_day_at_a_glance(browser: Browser, live: LiveServer, api: Api,
                                                  artifacts: Path) -> None:
    # 08:00 Beijing time on a fixed day; the simulation stops at 15:00 with a queue left.
    clock = FakeClock(datetime(2025, 3, 12, 0, 0, tzinfo=UTC))
    live.runtime.clock = clock
    admin = api.admin()
    report = simulate(live.url, admin, tickets=300, seed=7, windows=5, hours=(8, 15),
                      service_minutes=7.5, advance=clock.advance)
    assert report.issued >= 290 and report.served > 150 and report.evaluated > 50, report
    kiosk, _ = api.device("kiosk", name="大厅取号机1")
    r = api.http.post("/api/devices/status", headers=kiosk, json={"printer": "paper_out"})
    assert r.status_code == 204
    out = artifacts / "manage"
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(live.url + "/manage")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".win[data-window='1']")
    page.wait_for_selector(".kpi[data-kpi='issued']")
    page.wait_for_function("document.querySelector('#conn').dataset.state === 'on'")
    summary = api.http.get("/api/stats/summary", headers=admin).json()
    expect(page.locator(".kpi[data-kpi='issued'] .value")).to_have_text(re.compile(f"^{summary['issued']}"))
    expect(page.locator("#alerts")).to_contain_text("打印机缺纸")
    expect(page.locator("#alerts")).to_contain_text("等候超过")
    expect(page.locator("#chart-hour")).to_contain_text("时")
    page.screenshot(path=str(out / "manage_busy_day.png"), full_page=True)
    # A live event moves the page without a reload.
    before = page.inner_text("#categories tbody")
    api.issue(kiosk, "invoice")
    page.wait_for_function(
        "b => document.querySelector('#categories tbody').innerText !== b", arg=before)
    after = api.http.get("/api/stats/summary", headers=admin).json()
    assert after["issued"] == summary["issued"] + 1


def test_manage_page_refuses_a_clerk(live: LiveServer, api: Api) -> None:
    api.user("clerk1", "clerk")
    r = api.http.post("/api/auth/login", json={"username": "clerk1", "password": "password-123"})
    page = api.http.get("/manage", cookies=r.cookies)
    assert page.status_code == 403 and "没有权限" in page.text


def test_manage_page_switches_to_english_and_back(browser: Browser, live: LiveServer, api: Api,
                                                   artifacts: Path) -> None:
    clock = FakeClock(datetime(2025, 3, 12, 0, 0, tzinfo=UTC))
    live.runtime.clock = clock
    admin = api.admin()
    simulate(live.url, admin, tickets=80, seed=3, windows=3, hours=(8, 12),
             service_minutes=6, advance=clock.advance)
    catalog = api.http.get("/api/catalog").json()
    window_en = next(w["name_en"] for w in catalog["windows"] if w["number"] == 1)
    out = artifacts / "manage"
    out.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(live.url + "/manage")
    page.click("#lang-toggle")
    assert page.inner_text("#login-form h2") == "Manager login"
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".kpi[data-kpi='issued']")
    page.wait_for_selector(".win[data-window='1']")
    page.wait_for_function("document.querySelector('#conn').dataset.state === 'on'")
    page.wait_for_function(
        "n => document.querySelector(\".win[data-window='1'] .name\").innerText.startsWith(n)",
        arg=window_en)
    expect(page.locator("#lang-toggle")).to_have_text("中文")
    expect(page.locator(".kpi .label").first).to_have_text("Tickets")
    assert page.inner_text("#lang-toggle") == "中文"
    assert page.evaluate("localStorage.getItem('hall.lang.manage')") == "en"
    labels = page.locator(".kpi .label").all_inner_texts()
    assert labels[:3] == ["Tickets", "Served", "No-show rate"]
    assert "Satisfied" in labels and not any("满意" in x or "取号" in x for x in labels)
    assert page.inner_text("#live h2").startswith("Live monitor")
    assert page.inner_text("#categories thead").split("\t")[0].strip() == "Category"
    hour_chart = page.inner_text("#chart-hour")
    assert "9h" in hour_chart and "时" not in hour_chart
    assert "Done" in page.inner_text("#chart-outcomes") and "办结" not in page.inner_text("#chart-outcomes")
    assert "Kiosk" in page.inner_text("#chart-channel")
    assert "W1" in page.inner_text("#chart-window")
    captions = page.locator("figcaption").all_inner_texts()
    assert captions[0].startswith("Tickets by hour") and not any("业务" in c for c in captions)
    assert "See docs/statistics.md" in page.inner_text(".note")
    page.screenshot(path=str(out / "manage-en.png"), full_page=True)
    overflow = page.locator(".kpi, .kpi *, .win .head, .top nav, .range").evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className || e.tagName)")
    assert overflow == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        "nothing pushes the page wider than the screen"
    cut = page.locator("#chart-service svg text").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().left"
        " < e.closest('.chart').getBoundingClientRect().left).map(e => e.textContent)")
    assert cut == [], "service names fit left of the bars"

    # Remembered on reload; back to Chinese restores the labels in place.
    page.reload()
    page.wait_for_selector(".kpi[data-kpi='issued']")
    assert page.inner_text(".kpi[data-kpi='issued'] .label") == "Tickets"
    page.click("#lang-toggle")
    assert page.inner_text(".kpi[data-kpi='issued'] .label") == "取号"
    assert page.inner_text(".kpi[data-kpi='sla'] .label").endswith("分钟内叫号")
    assert "时" in page.inner_text("#chart-hour")
    assert page.inner_text("figcaption >> nth=0") == "各时段取号量（柱）与平均等候（线）"
    assert page.inner_text("#lang-toggle") == "English"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.wait_for_function(
        "document.querySelector(\"#conn\").innerText.includes('实时')")
