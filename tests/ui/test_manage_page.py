"""The manager's page on a busy simulated day, in headless Chromium."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

from queue_server.simulate import simulate
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


class FakeClock:
    """A clock the test moves forward."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_manage_page_shows_a_busy_day_at_a_glance(live: LiveServer, api: Api,
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
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(live.url + "/manage")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", ADMIN_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector(".win[data-window='1']")
        page.wait_for_selector(".kpi[data-kpi='issued']")
        page.wait_for_function("document.querySelector('#conn').dataset.state === 'on'")
        page.wait_for_timeout(800)
        issued = page.inner_text(".kpi[data-kpi='issued'] .value")
        alerts = page.inner_text("#alerts")
        svg_text = page.inner_text("#chart-hour")
        page.screenshot(path=str(out / "manage_busy_day.png"), full_page=True)
        # A live event moves the page without a reload.
        before = page.inner_text("#categories tbody")
        api.issue(kiosk, "invoice")
        page.wait_for_function(
            "b => document.querySelector('#categories tbody').innerText !== b", arg=before)
        browser.close()
    summary = api.http.get("/api/stats/summary", headers=admin).json()
    assert issued.startswith(str(summary["issued"] - 1))
    assert "打印机缺纸" in alerts and "等候超过" in alerts
    assert "时" in svg_text


def test_manage_page_refuses_a_clerk(live: LiveServer, api: Api) -> None:
    api.user("clerk1", "clerk")
    r = api.http.post("/api/auth/login", json={"username": "clerk1", "password": "password-123"})
    page = api.http.get("/manage", cookies=r.cookies)
    assert page.status_code == 403 and "没有权限" in page.text
