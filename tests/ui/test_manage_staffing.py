"""The 排班建议 section of /manage over the demo's eight weeks of history, in headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from queue_server.core.settings import ServerSettings
from queue_server.devtools.history_store import demo_history
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer

NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # Tuesday 8 December 2026, 09:00 in the hall


@pytest.fixture(scope="module")
def hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Api]]:
    """Serve a hall with the demo's eight weeks of history, the clock held at Tuesday 8 December 09:00."""
    tmp = tmp_path_factory.mktemp("staffing")
    url = f"sqlite:///{tmp / 'hall.db'}"
    demo_history(ServerSettings(var_dir=tmp / "var", database_url=url, admin_password=ADMIN_PASSWORD,
                                secret_key="test-secret"), now=NOW)
    live = LiveServer(tmp / "var", url).start()
    live.runtime.clock = lambda: NOW
    api = Api(live.url)
    try:
        yield live, api
    finally:
        api.close()
        live.stop()


@pytest.fixture(scope="module")
def out() -> Path:
    """Return artifacts/manage_staffing/, emptied once for this module's screenshots."""
    folder = Path(__file__).resolve().parents[2] / "artifacts" / "manage_staffing"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _login(browser: Browser, live: LiveServer, width: int, height: int) -> Page:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(live.url + "/manage#staffing")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#staffing-advice li", timeout=60_000)  # a login hashes a password: slow on a busy machine
    return page


def _answer(api: Api, **params: Any) -> Any:
    r = api.http.get("/api/stats/staffing", headers=api.admin(), params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_monday_s_advice_chart_and_trust_are_shown(browser: Browser, hall: tuple[LiveServer, Api], out: Path) -> None:
    live, api = hall
    page = _login(browser, live, 1600, 1000)
    # First the weekday the server picks: today's, a Tuesday.
    expect(page.locator("#staffing-form select[name=weekday]")).to_have_value("2")
    tuesday = _answer(api)
    assert tuesday["weekday"] == 2
    expect(page.locator("#staffing-basis")).to_contain_text(f"的 {len(tuesday['days'])} 个周二")
    page.select_option("#staffing-form select[name=weekday]", "1")
    monday = _answer(api, weekday=1)
    expect(page.locator("#staffing-advice li").first).to_have_text(monday["advice"][0])
    expect(page.locator("#staffing-advice li")).to_have_count(len(monday["advice"]))
    assert monday["advice"][0].startswith("周一 9:00–") and "建议开" in monday["advice"][0]
    mape = f"{monday['backtest']['arrivals_mape_pct']:.1f}%"
    trust = page.locator("#staffing-trust")
    expect(trust.locator(".value")).to_contain_text(mape)
    expect(trust).to_have_attribute("data-level", "fair" if 15 < monday["backtest"]["arrivals_mape_pct"] <= 30 else
                                    "good" if monday["backtest"]["arrivals_mape_pct"] <= 15 else "poor")
    expect(trust).to_contain_text(f"共检验 {monday['backtest']['days']} 天")
    expect(page.locator("#staffing-basis")).to_contain_text("2026-10-19 至 2026-12-07 的 8 个周一")
    chart = page.locator("#chart-staffing")
    expect(chart).to_contain_text("建议开窗口数")
    expect(chart).to_contain_text("过去平均开窗口数")
    expect(chart).to_contain_text(str(monday["intervals"][0]["windows_needed"]))
    page.click(".staffing .pools summary")
    expect(page.locator(".pool").first).to_contain_text("号窗口")
    page.locator("#staffing").screenshot(path=str(out / "staffing_monday_1600.png"))
    # A target no number of weeks can have is refused on the page, before asking the server.
    page.fill("#staffing-form input[name=weeks]", "0")
    page.click("#staffing-form button[type=submit]")
    expect(page.locator("#staffing-error")).to_have_text("参考周数须为 1–52 的整数")
    expect(page.locator("#staffing-advice li").first).to_have_text(monday["advice"][0])
    # A stricter target asks for more windows at the rush.
    page.fill("#staffing-form input[name=weeks]", "8")
    page.fill("#staffing-form input[name=wait]", "5")
    page.fill("#staffing-form input[name=pct]", "95")
    page.click("#staffing-form button[type=submit]")
    strict = _answer(api, weekday=1, target_wait=300, target_pct=95)
    assert strict["intervals"][0]["windows_needed"] > monday["intervals"][0]["windows_needed"]
    expect(page.locator("#staffing-advice li").first).to_have_text(strict["advice"][0])
    expect(page.locator("#staffing-error")).to_have_text("")
    page.close()


def test_the_section_in_english_and_on_a_smaller_screen(browser: Browser, hall: tuple[LiveServer, Api],
                                                        out: Path) -> None:
    live, _ = hall
    page = _login(browser, live, 1280, 800)
    page.select_option("#staffing-form select[name=weekday]", "1")
    expect(page.locator("#staffing-basis")).to_contain_text("个周一")
    page.locator("#staffing").screenshot(path=str(out / "staffing_monday_1280.png"))
    page.click("#lang-toggle")
    expect(page.locator("#staffing h2")).to_contain_text("Staffing advice")
    expect(page.locator("#chart-staffing")).to_contain_text("Windows needed")
    expect(page.locator("#staffing-basis")).to_contain_text("From 8 Mondays")
    expect(page.locator("#staffing-trust")).to_contain_text("How far to trust it")
    page.locator("#staffing").screenshot(path=str(out / "staffing_monday_en.png"))
    page.close()
