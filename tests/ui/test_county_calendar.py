"""The county calendar editor on /manage, for county admins only, in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.support.cases import hold_clock
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer


def sign_in(page: Page, username: str, password: str) -> None:
    """Fill /manage's login form and wait for the page that follows."""
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_a_county_admin_enters_next_years_schedule_and_the_coverage_shows_it_as_the_countys(
        browser: Browser, live: LiveServer, api: Api, artifacts: Path) -> None:
    hold_clock(live, "2026-11-20 10:00")  # the package stops at 2026; from 1 November 2027 is warned of
    shots = artifacts / "county"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1500, "height": 1000}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live.url}/manage")
    sign_in(page, "admin", ADMIN_PASSWORD)
    section = page.locator("#calendar")
    expect(section).to_be_visible()
    expect(page.locator("header nav a[href='#calendar']")).to_be_visible()
    expect(page.locator("#cal-coverage li[data-year='2026']")).to_have_attribute("data-source", "package")
    expect(page.locator("#cal-coverage li[data-year='2026']")).to_contain_text("chinesecalendar")
    expect(page.locator("#cal-coverage li[data-year='2027']")).to_have_attribute("data-source", "provisional")
    expect(page.locator("#cal-coverage li[data-year='2027']")).to_contain_text("暂按国家规定的法定节假日计算")
    warning = page.locator("#case-calendar")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("2027 年的放假和调休安排还没有录入")
    expect(warning).to_contain_text("国家规定的法定节假日")
    expect(page.locator("#cal-year")).to_have_value("2027")

    # A slip is named before anything is saved, and the save waits for it to be fixed.
    page.fill("#cal-holidays", "元旦：2027-01-01\n2月5日至13日\n2026-10-01")
    expect(page.locator("#cal-preview .cal-errors")).to_contain_text("「2026-10-01」不在 2027 年内")
    expect(page.locator("#cal-save")).to_be_disabled()
    page.fill("#cal-holidays", "元旦：2027-01-01\n2月5日至13日（共9天）\n4月5日\n5月1日-5日\n10月1日至7日")
    page.fill("#cal-workdays", "2月20日、9月26日\n10月9日")
    preview = page.locator("#cal-preview")
    expect(preview.locator("[data-list='holidays']")).to_contain_text("放假 23 天")
    expect(preview.locator("[data-list='holidays']")).to_contain_text("2027-02-05 至 2027-02-13（9 天）")
    expect(preview.locator("[data-list='workdays']")).to_contain_text("调休上班 3 天")
    expect(page.locator("#cal-preview .cal-errors")).to_have_count(0)
    expect(page.locator("#cal-save")).to_have_text("保存 2027 年安排")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(shots / "calendar_editor.png"))

    page.click("#cal-save")
    expect(page.locator("#cal-result")).to_contain_text("已保存 2027 年：放假 23 天，调休上班 3 天")
    expect(page.locator("#cal-coverage li[data-year='2027']")).to_have_attribute("data-source", "county")
    expect(page.locator("#cal-coverage li[data-year='2027']")).to_contain_text("县里录入")
    expect(page.locator("#cal-coverage .cal-entered")).to_contain_text("2027 年")
    expect(page.locator("#cal-holidays")).to_have_value(
        "2027-01-01\n2027-02-05~2027-02-13\n2027-04-05\n2027-05-01~2027-05-05\n2027-10-01~2027-10-07")
    expect(warning).to_be_hidden()  # 2027 is the county's now
    section.screenshot(path=str(shots / "calendar_saved.png"))

    # Every hall counts by it: the API says so too.
    coverage = api.http.get("/api/calendar/coverage").json()
    assert {y["year"]: y["source"] for y in coverage["years"]}[2027] == "county"
    days = {d["date"]: d["working"] for d in api.http.get(
        "/api/calendar", params={"from": "2027-02-08", "to": "2027-02-20"}).json()}
    assert days["2027-02-08"] is False and days["2027-02-20"] is True
    assert not errors, errors

    # The saved year reads back when chosen again, and the prefill takes the current calendar.
    page.select_option("#cal-year", "2026")
    expect(page.locator("#cal-holidays")).to_have_value("")
    page.click("#cal-prefill")
    expect(page.locator("#cal-holidays")).to_have_value(re.compile(r"^2026-01-01.*\n2026-10-01~2026-10-07$", re.S))
    expect(page.locator("#cal-workdays")).to_have_value(re.compile(r"^2026-01-04\n2026-02-14\n"))
    page.select_option("#cal-year", "2027")
    expect(page.locator("#cal-workdays")).to_have_value("2027-02-20\n2027-09-26\n2027-10-09")
    page.close()


def test_the_calendar_editor_is_not_there_for_a_halls_own_admin_or_a_county_manager(
        browser: Browser, live: LiveServer, api: Api) -> None:
    admin = api.admin()
    for username, hall in (("puan-admin", None), ("county-manager", "*")):
        body = {"username": username, "password": "password-123", "role": "admin" if hall is None else "manager"}
        if hall:
            body["hall"] = hall
        assert api.http.post("/api/admin/users", headers=admin, json=body).status_code == 201
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        page.goto(f"{live.url}/manage")
        sign_in(page, username, "password-123")
        expect(page.locator("#live")).to_be_visible()
        expect(page.locator("#calendar")).to_have_count(0)
        expect(page.locator("header nav a[href='#calendar']")).to_have_count(0)
        page.close()
