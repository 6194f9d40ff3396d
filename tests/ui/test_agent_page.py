"""The village agent's page on a phone: a batch of home cases, live updates, delivery, a retried submit."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.support.agents import agent, hall_yaml_with_stations
from tests.support.live import Api, LiveServer
from tests.support.wait import eventually

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}


@pytest.fixture(scope="module")
def out() -> Path:
    """Return artifacts/agent/, emptied once for this module's screenshots."""
    folder = Path(__file__).resolve().parents[2] / "artifacts" / "agent"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path / "var", config=hall_yaml_with_stations(tmp_path)).start()
    yield server
    server.stop()


@pytest.fixture
def api(hall: LiveServer) -> Iterator[Api]:
    client = Api(hall.url)
    yield client
    client.close()


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/agent")
    page.fill("input[name=username]", "agent1")
    page.fill("input[name=password]", "password-123")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#tabs")).to_be_visible()


def pick(page: Page, query: str, name: str, group: str = "") -> None:
    page.click("[data-tab=guide]")
    page.fill("#guide-q", query)
    expect(page.locator("#guide-list .hit").first).to_contain_text(query)
    page.locator("#guide-list .hit").first.click()
    page.click("#matter-add")
    entry = page.locator(".entry").last
    entry.locator("[data-field=name]").fill(name)
    if group:
        entry.locator("[data-field=group]").select_option(group)
    entry.locator("input[type=checkbox]").first.check()


def cases_of(api: Api, headers: dict[str, str]) -> list[dict[str, Any]]:
    return list(api.http.get("/api/cases", headers=headers, params={"limit": "200"}).json()["cases"])


def test_an_agent_submits_a_batch_follows_it_live_and_confirms_delivery(
        browser: Browser, hall: LiveServer, api: Api, out: Path) -> None:
    a1 = agent(api, "agent1", "V01", "李代办")
    clerk = api.user("clerk1")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(hall.url + "/agent")
    page.screenshot(path=str(out / "01-login.png"), full_page=True)
    log_in(page, hall.url)
    page.fill("#guide-q", "残疾")
    expect(page.locator("#guide-list .hit").first).to_contain_text("残疾")
    page.screenshot(path=str(out / "02-guide.png"), full_page=True)
    page.locator("#guide-list .hit").first.click()
    expect(page.locator("#matter .materials li").first).to_be_visible()
    page.screenshot(path=str(out / "03-materials.png"), full_page=True)
    page.click("#matter-back")
    pick(page, "养老保险待遇领取", "张大爷", "elderly")
    pick(page, "更换残疾证", "刘阿姨", "disabled")
    pick(page, "高龄津贴", "陈奶奶", "seriously_ill")
    expect(page.locator(".entry")).to_have_count(3)
    page.screenshot(path=str(out / "04-batch-form.png"), full_page=True)
    page.click("#draft-submit")
    expect(page.locator(".ok-card")).to_contain_text("已提交 3 件")
    page.screenshot(path=str(out / "05-submitted.png"), full_page=True)
    made = cases_of(api, a1)
    assert len(made) == 3 and {c["channel"] for c in made} == {"home"}
    assert {c["batch"] for c in made} == {made[0]["batch"]}

    page.click("[data-tab=cases]")
    expect(page.locator("#case-list .case")).to_have_count(3)
    page.screenshot(path=str(out / "06-cases.png"), full_page=True)
    # The hall completes one at the proxy window; the page updates by itself.
    done = made[-1]["id"]
    for action, body in (("process", None), ("complete", {"result": "approved"})):
        assert api.http.post(f"/api/cases/{done}/{action}", headers=clerk, json=body).status_code == 200
    expect(page.locator("#case-badge")).to_be_visible()
    expect(page.locator("#case-list .case")).to_have_count(2)
    page.click("[data-filter=completed]")
    row = page.locator(f"[data-case='{done}']")
    expect(row).to_contain_text("有更新")
    expect(row).to_contain_text("已办结，待送达")
    page.screenshot(path=str(out / "07-completed-badge.png"), full_page=True)
    row.locator("[data-deliver]").click()
    expect(page.locator("#case-list .case")).to_have_count(0)
    page.click("[data-filter=done]")
    expect(page.locator(f"[data-case='{done}']")).to_contain_text("已送达")
    page.screenshot(path=str(out / "08-delivered.png"), full_page=True)
    assert api.http.get(f"/api/cases/{done}", headers=a1).json()["delivery"] == "agent"

    page.click("[data-tab=ticket]")
    page.select_option("#ticket-service", "pension-insurance")
    page.click("#ticket-take")
    expect(page.locator("#ticket-result .number")).to_have_text("A001")
    page.screenshot(path=str(out / "09-ticket.png"), full_page=True)

    # English once: the toggle reloads the page in English and remembers it; the login survives.
    page.click("#lang-toggle")
    expect(page.locator("[data-tab=guide]")).to_have_text("Find")
    expect(page.locator("#lang-toggle")).to_have_text("中文")
    pick(page, "更换残疾证", "Wang Wu", "disabled")
    expect(page.locator(".entry label").first).to_contain_text("Resident's name")
    page.screenshot(path=str(out / "12-en-draft.png"), full_page=True)
    page.click("[data-tab=cases]")
    expect(page.locator("#case-list .case").first).to_contain_text("due ")
    page.screenshot(path=str(out / "13-en-cases.png"), full_page=True)
    context.close()


def test_a_submit_retried_after_a_dropped_answer_makes_exactly_one_case(
        browser: Browser, hall: LiveServer, api: Api, out: Path) -> None:
    a1 = agent(api, "agent1", "V01")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    dropped: list[int] = []

    def drop_first_answer(route: Route) -> None:
        if route.request.method != "POST" or dropped:
            route.continue_()
            return
        response = route.fetch()  # the server accepts the case…
        dropped.append(response.status)
        route.abort("connectionreset")  # …and the answer never reaches the phone

    log_in(page, hall.url)
    page.route("**/api/cases", drop_first_answer)
    pick(page, "养老保险待遇领取", "王五")
    page.click("#draft-submit")
    expect(page.locator("#net")).to_contain_text("自动重试")
    page.screenshot(path=str(out / "10-retrying.png"), full_page=True)
    saved = page.evaluate("localStorage.getItem('hall.agent.draft')")
    assert saved and "王五" in saved
    expect(page.locator(".ok-card")).to_contain_text("已提交 1 件", timeout=15000)
    assert dropped == [201]
    eventually(lambda: len(cases_of(api, a1)) == 1, what="exactly one case")
    assert [c["applicant"]["name"] for c in cases_of(api, a1)] == ["王五"]
    assert page.evaluate("localStorage.getItem('hall.agent.draft')") is None
    context.close()


def test_the_manage_page_shows_the_station_league_table(
        browser: Browser, hall: LiveServer, api: Api, out: Path) -> None:
    a1, a2 = agent(api, "agent1", "V01", "李代办"), agent(api, "agent2", "V02", "王代办")
    for headers, n in ((a1, 3), (a2, 1)):
        for i in range(n):
            r = api.http.post("/api/cases", headers=headers, json={"matter": "M002", "applicant": {"name": f"村民{i}"}})
            assert r.status_code == 201
    api.user("boss", role="manager")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(hall.url + "/manage")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", "password-123")
    page.click("#login-form button[type=submit]")
    rows = page.locator("#station-table tbody tr")
    expect(rows).to_have_count(38)
    expect(rows.first).to_contain_text("V01")
    expect(rows.first).to_contain_text("李代办")
    expect(page.locator("#station-headline")).to_contain_text("4")
    expect(page.locator("#station-headline")).to_contain_text("91")  # 3 × 25 + 1 × 16 km
    page.locator("#stations").scroll_into_view_if_needed()
    page.locator("#stations").screenshot(path=str(out / "11-manage-stations.png"))
    context.close()
