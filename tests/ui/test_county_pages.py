"""The county page, a hall's board under its prefix, and the phone entry's pictograms, in headless Chromium."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from queue_server.domain.passes import make_pass
from tests.support.cases import MovableClock, hold_clock
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer

CSP_PROBE = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@dataclass
class Hall:
    """One hall of the county as a test drives it: its API under its prefix and its kiosk."""

    code: str
    api: Api
    admin: dict[str, str]
    kiosk: dict[str, str]

    def issue(self, service: str = "invoice") -> dict[str, Any]:
        """Issue a kiosk ticket in this hall."""
        return self.api.issue(self.kiosk, service)

    def open(self, window: int) -> None:
        """Open a window of this hall (as the county admin, who is staff in every hall)."""
        r = self.api.http.post(f"/api/windows/{window}/open", headers=self.admin)
        assert r.status_code == 200, r.text

    def call_next(self, window: int) -> str:
        """Call the next ticket at a window and return its number."""
        r = self.api.http.post(f"/api/windows/{window}/call-next", headers=self.admin)
        assert r.status_code == 200, r.text
        return str(r.json()["ticket"]["number"])


@dataclass
class County:
    """Three halls on one live server, with a clock the test moves."""

    live: LiveServer
    clock: MovableClock
    halls: dict[str, Hall]


def add_hall(api: Api, admin: dict[str, str], code: str, name: str, short_name: str) -> None:
    """Add a hall as the county admin."""
    r = api.http.post("/api/county/halls", headers=admin, json={"code": code, "name": name, "short_name": short_name})
    assert r.status_code == 201, r.text


def add_user(api: Api, admin: dict[str, str], username: str, role: str, hall: str | None = None) -> None:
    """Create a user in the hall of `api` (or county-wide with hall="*")."""
    body = {"username": username, "password": "password-123", "role": role, "display_name": username}
    if hall:
        body["hall"] = hall
    r = api.http.post("/api/admin/users", headers=admin, json=body)
    assert r.status_code == 201, r.text


@pytest.fixture
def county(live: LiveServer, api: Api) -> County:
    """Return three halls: puan called within its limit, xiasi over it, baolun with a device down."""
    clock = hold_clock(live, "2026-11-20 09:30")
    admin = api.admin()
    add_hall(api, admin, "xiasi", "剑阁县下寺镇便民服务中心", "下寺镇便民服务中心")
    add_hall(api, admin, "baolun", "剑阁县白龙镇便民服务中心", "白龙镇便民服务中心")
    halls = {}
    for code in ("puan", "xiasi", "baolun"):
        hall_api = api if code == "puan" else Api(f"{live.url}/h/{code}")
        r = hall_api.http.post("/api/admin/devices", headers=admin, json={"name": f"{code}-取号机", "kind": "kiosk"})
        assert r.status_code == 201, r.text
        halls[code] = Hall(code, hall_api, admin, {"Authorization": "Bearer " + r.json()["token"]})
    add_user(api, admin, "county-boss", "manager", hall="*")
    add_user(api, admin, "puan-manager", "manager")
    # puan: three tickets, one called at once (within the 15-minute limit), window 1 open.
    puan, xiasi, baolun = halls["puan"], halls["xiasi"], halls["baolun"]
    for _ in range(3):
        puan.issue()
    puan.open(1)
    puan.call_next(1)
    # xiasi: two tickets, the first (A001) called after 20 minutes (over the limit), at window 2.
    xiasi.issue()
    xiasi.issue("pension-insurance")
    clock.set("2026-11-20 09:50")
    xiasi.open(2)
    xiasi.call_next(2)
    # baolun: one ticket, no window open, and its kiosk out of paper; the other kiosks report in fine.
    baolun.issue()
    for hall, printer in ((puan, "ok"), (xiasi, "ok"), (baolun, "paper_out")):
        r = hall.api.http.post("/api/devices/status", headers=hall.kiosk, json={"printer": printer})
        assert r.status_code == 204, r.text
    return County(live, clock, halls)


@pytest.fixture
def shots(artifacts: Path) -> Path:
    """Return the folder for the county screenshots."""
    out = artifacts / "county"
    out.mkdir(parents=True, exist_ok=True)
    return out


def sign_in(page: Page, username: str, password: str = "password-123") -> None:
    """Fill the page's login form and wait for the page that follows."""
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit]")


def wait_for_icons(page: Page, selector: str) -> None:
    """Wait until every pictogram matching the selector has loaded and has a size."""
    page.wait_for_function("s => [...document.querySelectorAll(s)].every(i => i.complete && i.naturalWidth > 0)",
                           arg=selector)


def cell(page: Page, table: str, hall: str, field: str) -> Any:
    """Return the cell of a hall's figure in one of the page's tables."""
    return page.locator(f"#{table} tbody tr[data-hall='{hall}'] td[data-field='{field}']")


def test_the_county_page_lists_ranks_and_alerts_every_hall_and_follows_them_live(
        browser: Browser, county: County, api: Api, shots: Path) -> None:
    live = county.live
    # Under the policy as a manager's browser gets it: nothing of the page may be blocked.
    page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN", bypass_csp=False)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(CSP_PROBE)
    page.goto(f"{live.url}/county")
    expect(page.locator("#login-form")).to_be_visible()
    sign_in(page, "county-boss")
    rows = page.locator("#halls tbody tr")
    expect(rows).to_have_count(3)
    # Each hall's figures are the overview's.
    boss = {"Authorization": "Bearer " + api.login("county-boss", "password-123")}
    overview = api.http.get("/api/county/overview", headers=boss).json()
    figures = {h["code"]: h for h in overview["halls"]}
    assert figures["puan"]["waiting"] == 2 and figures["xiasi"]["sla_pct_today"] == 0
    for code, h in figures.items():
        expect(cell(page, "halls", code, "waiting")).to_have_text(str(h["waiting"]))
        expect(cell(page, "halls", code, "open_windows")).to_have_text(str(h["open_windows"]))
        expect(cell(page, "halls", code, "devices_down")).to_have_text(str(h["devices_down"]))
    expect(cell(page, "halls", "puan", "sla_pct_today")).to_have_text("100%")
    expect(cell(page, "halls", "xiasi", "sla_pct_today")).to_have_text("0%")
    expect(page.locator("#halls tfoot td[data-field='waiting']")).to_have_text(str(overview["totals"]["waiting"]))
    # Ranked on today's service level by default: puan first, xiasi second, baolun (no calls yet) last.
    expect(rows.locator("th.hall")).to_have_text(["普安镇便民服务中心", "下寺镇便民服务中心", "白龙镇便民服务中心"])
    expect(rows.locator("td.rank")).to_have_text(["1", "2", "—"])
    expect(page.locator("#chart-sla_today")).to_contain_text("1. 普安镇便民服务中心")
    expect(page.locator("#chart-sla_today")).to_contain_text("2. 下寺镇便民服务中心")
    # Alerts, each naming its hall.
    expect(page.locator("#alerts li[data-kind='sla'][data-hall='xiasi']")).to_contain_text(
        "下寺镇便民服务中心：今日服务水平 0%，低于 80%")
    expect(page.locator("#alerts li[data-kind='device'][data-hall='baolun']")).to_contain_text(
        "白龙镇便民服务中心：1 台设备故障或离线")
    expect(page.locator("#alerts li[data-hall='puan']")).to_have_count(0)
    # This month's figures, with the county's totals.
    expect(page.locator("#month-range")).to_have_text("2026-11-01 至 2026-11-20")
    expect(cell(page, "month-table", "puan", "issued")).to_have_text("3")
    expect(page.locator("#month-table tfoot td[data-field='issued']")).to_have_text("6")
    expect(page.locator("#chart-wait_month")).to_contain_text("分钟")
    page.screenshot(path=str(shots / "county_overview.png"), full_page=True)

    # A manager sorts on waiting and scrolls; the next refreshes keep both while the figures move.
    page.locator("#halls thead button[data-sort='waiting']").click()
    expect(rows.locator("th.hall")).to_have_text(["白龙镇便民服务中心", "下寺镇便民服务中心", "普安镇便民服务中心"])
    page.set_viewport_size({"width": 1600, "height": 700})
    page.evaluate("window.scrollTo(0, 400)")
    assert page.evaluate("window.scrollY") == 400
    expect(page.locator("#updated")).to_have_text("更新于 09:50:00")
    county.clock.set("2026-11-20 09:51")
    for _ in range(3):
        county.halls["baolun"].issue()
    expect(cell(page, "halls", "baolun", "waiting")).to_have_text("4")
    expect(page.locator("#updated")).to_have_text("更新于 09:51:00")
    expect(rows.locator("th.hall")).to_have_text(["下寺镇便民服务中心", "普安镇便民服务中心", "白龙镇便民服务中心"])
    expect(page.locator("#halls thead button[data-sort='waiting']")).to_have_class(re.compile(r"\bon\b"))
    assert page.evaluate("window.scrollY") == 400
    # Raising nothing but the alert line flags puan too (kept for this browser).
    page.fill("#sla-alert", "100")
    page.press("#sla-alert", "Enter")
    page.locator("#sla-alert").blur()
    expect(page.locator("#alerts li[data-kind='sla']")).to_have_count(1)  # puan is at 100%, not below
    page.fill("#sla-alert", "60")
    page.locator("#sla-alert").blur()
    expect(page.locator("#alerts li[data-kind='sla'][data-hall='xiasi']")).to_contain_text("低于 60%")
    assert not errors, errors
    assert page.evaluate("window.__csp") == []

    # English, in place.
    page.click("#lang-toggle")
    expect(page.locator("#alerts li[data-kind='device']")).to_contain_text("devices faulty or offline")
    expect(page.locator("#halls thead")).to_contain_text("Service level today")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / "county_overview_en.png"), full_page=True)
    page.click("#lang-toggle")

    # Each hall links into its own /manage, which shows that hall's monitor, not the default hall's.
    link = page.locator("#halls tbody tr[data-hall='xiasi'] th.hall a")
    expect(link).to_have_attribute("href", f"{live.url}/h/xiasi/manage")
    link.click()
    page.wait_for_url(f"{live.url}/h/xiasi/manage")
    expect(page.locator("header h1")).to_contain_text("剑阁县下寺镇便民服务中心")
    expect(page.locator(".win[data-window='2']")).to_have_class(re.compile(r"\bbusy\b"))
    expect(page.locator(".win[data-window='1']")).to_have_class(re.compile(r"\bclosed\b"))
    expect(page.locator("#categories tbody tr[data-category='A']")).to_contain_text("1")
    page.screenshot(path=str(shots / "county_to_xiasi_manage.png"))
    page.close()


def test_a_halls_own_manager_is_told_the_county_page_is_for_county_managers(
        browser: Browser, county: County, shots: Path) -> None:
    live = county.live
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.goto(f"{live.url}/county")
    sign_in(page, "puan-manager")
    expect(page.locator("#forbidden")).to_contain_text("只有县级管理人员可以查看全县情况")
    expect(page.locator("#forbidden")).to_contain_text("puan-manager")
    expect(page.locator("#halls")).to_have_count(0)
    page.screenshot(path=str(shots / "county_refused.png"))
    response = page.goto(f"{live.url}/county")
    assert response is not None and response.status == 403
    # Another hall's manager is refused the same way, and the API refuses them both.
    add_user(county.halls["xiasi"].api, county.halls["xiasi"].admin, "xiasi-manager", "manager")
    page.click("#logout")
    expect(page.locator("#login-form")).to_be_visible()
    sign_in(page, "xiasi-manager")
    expect(page.locator("#forbidden")).to_contain_text("只有县级管理人员可以查看全县情况")
    r = page.request.get(f"{live.url}/api/county/overview")
    assert r.status == 403
    page.close()


def test_a_halls_board_under_its_prefix_shows_its_own_calls_with_pictograms(
        browser: Browser, county: County, shots: Path) -> None:
    live = county.live
    xiasi, puan = county.halls["xiasi"], county.halls["puan"]
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page.goto(f"{live.url}/h/xiasi/display")
    expect(page.locator(".hall-name")).to_have_text("剑阁县下寺镇便民服务中心")
    expect(page.locator(".tile[data-window='2'] .tile-ticket")).to_have_text("A001")
    expect(page.locator(".tile[data-window='1']")).to_have_attribute("data-status", "closed")
    # A call in xiasi reaches its board; a call in puan (its G002 at its window 3) does not.
    puan.open(3)
    assert puan.call_next(3) == "G002"
    xiasi.open(3)
    assert xiasi.call_next(3) == "G001"
    expect(page.locator("#banner-number")).to_have_text("G001")
    expect(page.locator("#banner-window")).to_have_text("3")
    expect(page.locator(".tile[data-window='3'] .tile-ticket")).to_have_text("G001")
    expect(page.locator("#recent")).not_to_contain_text("G002")
    expect(page.locator(".tile[data-window='1'] .tile-ticket")).to_have_text("—")
    # Every category carries its pictogram, loaded from the bundled set and drawn large and light.
    icons = page.locator(".cat img.cat-icon")
    expect(icons).to_have_count(8)
    expect(page.locator(".cat[data-cat='A'] img.cat-icon")).to_have_attribute(
        "src", "/static/vendor/tabler-icons/outline/shield-heart.svg")
    wait_for_icons(page, ".cat img.cat-icon")
    box = page.locator(".cat[data-cat='A'] img.cat-icon").bounding_box()
    assert box is not None and box["height"] >= 44, box
    name = page.locator(".cat[data-cat='A'] .cat-name").bounding_box()
    assert name is not None and box["x"] + box["width"] <= name["x"] + 1, (box, name)  # beside the name
    page.screenshot(path=str(shots / "xiasi_board.png"))
    page.close()


def test_the_phone_entry_shows_a_pictogram_beside_each_category_and_service(
        browser: Browser, county: County, shots: Path) -> None:
    live = county.live
    page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                            has_touch=True, locale="zh-CN")
    page.goto(f"{live.url}/h/xiasi/m?pass={xiasi_pass(county)}")
    buttons = page.locator("#categories button")
    expect(buttons).to_have_count(8)
    expect(buttons.locator("img.choice-icon")).to_have_count(8)
    expect(page.locator("#categories button", has_text="社保医保").locator("img.choice-icon")).to_have_attribute(
        "src", "/static/vendor/tabler-icons/outline/shield-heart.svg")
    wait_for_icons(page, "#categories img.choice-icon")
    page.screenshot(path=str(shots / "m_categories_icons.png"))
    page.locator("#categories button", has_text="社保医保").click()
    service = page.locator("#services button", has_text="养老保险")
    expect(service.locator("img.choice-icon")).to_have_attribute("src", "/static/vendor/tabler-icons/outline/old.svg")
    wait_for_icons(page, "#services img.choice-icon")
    page.screenshot(path=str(shots / "m_services_icons.png"))
    service.click()
    expect(page.locator("#confirm-icon")).to_have_attribute("src", "/static/vendor/tabler-icons/outline/old.svg")
    page.screenshot(path=str(shots / "m_confirm_icon.png"))
    page.close()


def xiasi_pass(county: County) -> str:
    """Return a valid hall pass of xiasi, minted as its board would."""
    rt = county.live.county.halls["xiasi"]
    token, _ = make_pass(rt.hall.secret, rt.hall.code, rt.clock(), rt.hall.config.settings.pass_rotation_seconds)
    return str(token)


def test_the_admin_signs_in_to_the_county_page_as_county_admin(browser: Browser, county: County) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.goto(f"{county.live.url}/county")
    sign_in(page, "admin", ADMIN_PASSWORD)
    expect(page.locator("#halls tbody tr")).to_have_count(3)
    expect(page.locator("header nav a[href='/manage#calendar']")).to_be_visible()
    page.close()
