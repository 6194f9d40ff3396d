"""The 办件 section of /manage on a month of cases, in headless Chromium, in Chinese and English."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.cases import MASKED_PHONE, act, applicant, hold_clock, new_case
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer

# November 2026 (no statutory holiday). "Now" is Mon 30 Nov 10:00.
#   A M002 accepted Mon 2 Nov, due Mon 9 Nov, completed Fri 6 Nov: on time
#   B M002 accepted Mon 2 Nov, due Mon 9 Nov, completed Tue 10 Nov: late
#   D M001 onsite, Tue 3 Nov: completed on acceptance, on time
#   E M020 (civil affairs) accepted Mon 16 Nov, completed Wed 18 Nov: on time
#   F M002 accepted Fri 20 Nov, due Fri 27 Nov, still processing: overdue
#   G M002 accepted Wed 25 Nov, due Wed 2 Dec: due within 2 working days
#   I M004 (not handled here: proxy) accepted Mon 30 Nov 09:00: open
STEPS: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("2026-11-02 09:30", "A", "new:M002", None), ("2026-11-02 09:40", "B", "new:M002", None),
    ("2026-11-03 10:00", "D", "new:M001", None), ("2026-11-06 16:00", "A", "complete", {"result": "approved"}),
    ("2026-11-10 16:00", "B", "complete", {"result": "approved"}),
    ("2026-11-16 10:00", "E", "new:M020", None), ("2026-11-18 10:00", "E", "complete", {"result": "approved"}),
    ("2026-11-20 10:00", "F", "new:M002", None), ("2026-11-20 11:00", "F", "process", None),
    ("2026-11-25 10:00", "G", "new:M002", None), ("2026-11-30 09:00", "I", "new:M004", None),
]
VIEWPORTS = [(1600, 1000), (1280, 800)]


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[tuple[LiveServer, Api, dict[str, str], dict[str, dict[str, Any]]]]:
    """Run a server through the month above, the clerk's session lasting it; leave the clock at 30 Nov 10:00."""
    live = LiveServer(tmp_path / "var", session_hours=24 * 365).start()
    api = Api(live.url)
    try:
        clock = hold_clock(live, "2026-11-02 09:00")
        clerk = api.user("clerk1", "clerk", "王丽")
        cases: dict[str, dict[str, Any]] = {}
        for at, key, what, body in STEPS:
            clock.set(at)
            if what.startswith("new:"):
                cases[key] = new_case(api, clerk, what[4:], applicant=applicant(f"申请人{key}"))
            else:
                cases[key] = act(api, clerk, cases[key]["id"], what, body)
        clock.set("2026-11-30 10:00")
        yield live, api, clerk, cases
    finally:
        api.close()
        live.stop()


@pytest.fixture(scope="module")
def out() -> Path:
    """Return artifacts/manage_cases/, emptied once for this module's screenshots."""
    folder = Path(__file__).resolve().parents[2] / "artifacts" / "manage_cases"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def tile(page: Page, key: str) -> str:
    """Return the value text of one headline tile."""
    return page.inner_text(f"[data-case-kpi='{key}'] .value")


def expect_tiles(page: Page, s: dict[str, Any]) -> None:
    """Wait until the headline tiles show these /api/stats/cases figures."""
    pct = "—" if s["on_time_pct"] is None else f"{s['on_time_pct']:.1f}%"
    expect(page.locator("[data-case-kpi='completed'] .value")).to_have_text(f"{s['completed']}件")
    expect(page.locator("[data-case-kpi='on_time'] .value")).to_have_text(pct)
    expect(page.locator("[data-case-kpi='open'] .value")).to_have_text(f"{s['open']}件")
    expect(page.locator("[data-case-kpi='overdue'] .value")).to_have_text(f"{s['overdue_open']}件")
    expect(page.locator("[data-case-kpi='due_soon'] .value")).to_have_text(f"{s['due_soon']}件")


LABELS_OUT = """() => [...document.querySelectorAll('#cases .chart svg text')].filter(e => {
  const r = e.getBoundingClientRect(), c = e.closest('.chart').getBoundingClientRect();
  return r.width && (r.left < c.left - 1 || r.right > c.right + 1);
}).map(e => e.textContent)"""
CHARTS_FIT = """() => [...document.querySelectorAll('#cases .chart')].every(c => {
  const svg = c.querySelector('svg');
  return svg && Math.abs(svg.getBoundingClientRect().width - c.getBoundingClientRect().width) <= 1;
})"""


def check_layout(page: Page) -> None:
    """Fail if anything in the section is cut, overlaps its neighbour, or widens the page."""
    # ECharts redraws from a ResizeObserver, a frame or two after the viewport changes: wait for every
    # chart's drawing to take its box's new width before measuring the labels inside it.
    page.wait_for_function(CHARTS_FIT, timeout=5000)
    parts = "#cases .kpi, #cases .kpi *, #cases .range, #cases h3, #cases figcaption, #cases td"
    cut = page.locator(parts).evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className || e.tagName)")
    assert cut == [], cut
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    overlaps = page.evaluate("""() => {
      const boxes = [...document.querySelectorAll('#case-kpis .kpi, .case-lists > div, .case-charts figure')]
        .map(e => [e, e.getBoundingClientRect()]);
      const out = [];
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const [, a] = boxes[i]; const [, b] = boxes[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
          out.push([boxes[i][0].className, boxes[j][0].className]);
      }
      return out;
    }""")
    assert overlaps == [], overlaps
    # ECharts animates its labels to their new places after a resize (about 300 ms): wait for them
    # to settle inside their charts; labels that stay outside are reported by the assertion.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => ({LABELS_OUT})().length === 0", timeout=5000)
    labels_out = page.evaluate(LABELS_OUT)
    assert labels_out == [], labels_out


def test_manage_cases_section_matches_the_statistics_and_follows_case_events(
        browser: Browser, hall: tuple[LiveServer, Api, dict[str, str], dict[str, dict[str, Any]]], out: Path) -> None:
    live, api, clerk, cases = hall
    admin = api.admin()

    def stats(first: str, last: str) -> dict[str, Any]:
        r = api.http.get("/api/stats/cases", headers=admin, params={"from": first, "to": last})
        assert r.status_code == 200, r.text
        return dict(r.json())

    year = stats("2026-01-01", "2026-12-31")
    assert (year["completed"], year["completed_on_time"], year["open"], year["overdue_open"], year["due_soon"]) \
        == (4, 3, 3, 1, 1), year
    page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page.goto(live.url + "/manage")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#conn")).to_have_attribute("data-state", "on")

    # This year by default: the seed's question, how many matters and what share on time.
    expect(page.locator("#case-range input[name=from]")).to_have_value("2026-01-01")
    expect(page.locator("#case-range input[name=to]")).to_have_value("2026-12-31")
    expect_tiles(page, year)
    expect(page.locator("#case-headline")).to_have_text("2026-01-01 至 2026-12-31：办结 4 件，按时办结率 75.0%")
    expect(page.locator("#case-year")).to_have_value("2026")
    overdue = page.locator(f"#case-overdue tr[data-case='{cases['F']['id']}']")
    expect(overdue).to_contain_text(cases["F"]["number"])
    expect(overdue).to_contain_text("城乡居民养老保险待遇领取申请")
    expect(overdue).to_contain_text("2026-11-27")
    expect(overdue).to_contain_text(MASKED_PHONE)
    expect(overdue).to_contain_text("已超 3 天")
    assert "13812341234" not in page.inner_text("#cases")
    expect(page.locator("#case-overdue tbody tr")).to_have_count(1)
    expect(page.locator(f"#case-soon tr[data-case='{cases['G']['id']}']")).to_contain_text("2026-12-02")
    expect(page.locator("#case-soon tbody tr")).to_have_count(1)
    # 2027 is not in the holiday package nor entered by the county: the banner says the national
    # rules' holidays count provisionally until the schedule is entered.
    banner = page.locator("#case-calendar")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("2027 年")
    expect(banner).to_contain_text("国家规定的法定节假日")
    expect(page.locator("#chart-case-month")).to_contain_text("11月")
    expect(page.locator("#chart-case-department")).to_contain_text("民政")
    expect(page.locator("#chart-case-mode")).to_contain_text("承诺件")
    this_year = "from=2026-01-01&to=2026-12-31"
    expect(page.locator("#case-export-csv")).to_have_attribute("href", f"/api/stats/cases.csv?{this_year}")
    expect(page.locator("#case-export-xlsx")).to_have_attribute("href", f"/api/stats/cases.xlsx?{this_year}")
    r = page.request.get(live.url + "/api/stats/cases.csv?from=2026-01-01&to=2026-12-31")
    assert r.status == 200 and cases["F"]["number"] in r.text()
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        check_layout(page)
        page.locator("#cases").screenshot(path=str(out / f"cases-zh-{width}.png"))

    # A case completed elsewhere reaches the page through /ws/hall, without a reload.
    act(api, clerk, cases["F"]["id"], "complete", {"result": "approved"})
    year = stats("2026-01-01", "2026-12-31")
    assert year["completed"] == 5 and year["overdue_open"] == 0
    expect_tiles(page, year)
    expect(page.locator("#case-overdue tbody")).to_contain_text("没有逾期未办结的办件")

    # 本月 and another year.
    page.click("[data-case-preset='month']")
    expect(page.locator("#case-range input[name=from]")).to_have_value("2026-11-01")
    expect_tiles(page, stats("2026-11-01", "2026-11-30"))
    november = "from=2026-11-01&to=2026-11-30"
    expect(page.locator("#case-export-xlsx")).to_have_attribute("href", f"/api/stats/cases.xlsx?{november}")
    page.select_option("#case-year", "2025")
    expect(page.locator("#case-range input[name=to]")).to_have_value("2025-12-31")
    expect_tiles(page, stats("2025-01-01", "2025-12-31"))
    page.click("[data-case-preset='year']")
    expect_tiles(page, year)

    # English in place, then the same checks of the layout.
    page.click("#lang-toggle")
    expect(page.locator("[data-case-kpi='on_time'] .label")).to_have_text("On time")
    expect(page.locator("#case-calendar")).to_contain_text("for 2027 has not been entered")
    expect(page.locator("#chart-case-mode")).to_contain_text("Deferred")
    expect(page.locator("#chart-case-month")).to_contain_text("Nov")
    assert "办结" not in page.inner_text("#case-kpis")
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        check_layout(page)
        page.locator("#cases").screenshot(path=str(out / f"cases-en-{width}.png"))
    page.click("#lang-toggle")
    expect(page.locator("[data-case-kpi='on_time'] .label")).to_have_text("按时办结率")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(out / "manage-zh-1280-full.png"), full_page=True)
    page.close()
