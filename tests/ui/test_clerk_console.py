"""Drive the clerk console in Chromium against a live server: two clerks, one queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.support.live import Api, LiveServer
from tests.support.wait import eventually


@pytest.fixture
def shots(artifacts: Path) -> Path:
    """Return the folder for console screenshots."""
    out = artifacts / "clerk"
    out.mkdir(parents=True, exist_ok=True)
    return out


def console(browser: Browser, live: LiveServer, username: str, window: int | None) -> Page:
    """Open /clerk in a fresh context, log in through the form and open a window."""
    page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
    page.goto(live.url + "/clerk")
    page.fill("#username", username)
    page.fill("#password", "password-123")
    page.click("#login-submit")
    expect(page.locator("#chooser")).to_be_visible()
    if window is not None:
        page.click(f'[data-window-card="{window}"] [data-action="open"]')
        expect(page.locator("#win-title")).to_have_text(f"{window} 号窗口")
        expect(page.locator("#conn")).to_have_text("● 实时")
    return page


def ui_queue(page: Page) -> list[str]:
    """Return the ticket numbers in the console's waiting list, top to bottom."""
    return list(page.locator("#queue li[data-number]").evaluate_all(
        "els => els.map(e => e.dataset.number)"))


def ui_current(page: Page) -> str | None:
    """Return the number on the console's current-ticket card, or None when idle."""
    loc = page.locator("#current-number")
    return loc.inner_text() if loc.count() else None


def api_window(api: Api, headers: dict[str, str], n: int) -> dict[str, Any]:
    """Return one window as the server sees it."""
    windows = api.http.get("/api/windows", headers=headers).json()
    return dict(next(w for w in windows if w["number"] == n))


def api_queue(api: Api, headers: dict[str, str], n: int) -> list[str]:
    """Return the window's waiting list as the server orders it."""
    return [t["number"] for t in api.http.get(f"/api/windows/{n}/queue", headers=headers).json()]


def shows_truth(page: Page, api: Api, headers: dict[str, str], n: int) -> None:
    """Wait until the console's card and list equal the server's state for window n."""
    def same() -> bool:
        w = api_window(api, headers, n)
        cur = w["current"]["number"] if w["current"] else None
        return ui_current(page) == cur and ui_queue(page) == api_queue(api, headers, n)

    eventually(same)


def status(api: Api, headers: dict[str, str], ticket: dict[str, Any]) -> dict[str, Any]:
    """Return a ticket as the server has it now."""
    return dict(api.http.get(f"/api/tickets/{ticket['id']}", headers=headers).json())


SERVICES = ["invoice", "pension-insurance", "forestry-permit", "business-license", "rural-housing",
            "veterans-benefits", "disability-certificate", "invoice"]


def test_two_clerks_work_the_same_queue(browser: Browser, live: LiveServer, api: Api,
                                        shots: Path) -> None:
    admin = api.admin()
    li = api.user("li", display_name="李娜")
    wang = api.user("wang", display_name="王强")
    kiosk, _ = api.device("kiosk")
    t = [api.issue(kiosk, s) for s in SERVICES]

    a = console(browser, live, "li", 1)
    b = console(browser, live, "wang", 2)
    shows_truth(a, api, li, 1)
    shows_truth(b, api, wang, 2)
    assert ui_queue(a) == [x["number"] for x in t], "call-next order is issue order at a * window"
    expect(a.locator("#queue-count")).to_have_text(str(len(t)))
    a.screenshot(path=str(shots / "idle.png"), full_page=True)

    # Both press 叫下一位 at once: each gets a different resident.
    a.locator('[data-action="call-next"]').dispatch_event("click")
    b.locator('[data-action="call-next"]').dispatch_event("click")
    eventually(lambda: ui_current(a) and ui_current(b))
    assert {ui_current(a), ui_current(b)} == {t[0]["number"], t[1]["number"]}
    first, second = (t[0], t[1]) if ui_current(a) == t[0]["number"] else (t[1], t[0])
    shows_truth(a, api, li, 1)
    shows_truth(b, api, wang, 2)
    expect(a.locator("#materials")).to_contain_text("材料清单")
    expect(a.locator("#current")).to_contain_text("自助取号机")
    a.screenshot(path=str(shots / "calling.png"), full_page=True)

    # A serves and finishes; B marks a no-show, which asks for confirmation first.
    a.click('[data-action="start"]')
    expect(a.locator("#current-status")).to_have_attribute("data-status", "serving")
    assert status(api, admin, first)["status"] == "serving"
    a.locator("#materials [data-material]").first.check()
    expect(a.locator("#material-tally")).to_contain_text("已核对 1/")
    a.screenshot(path=str(shots / "serving.png"), full_page=True)
    a.click('[data-action="finish"]')
    expect(a.locator('[data-testid="idle"]')).to_be_visible()
    done = status(api, admin, first)
    assert (done["status"], done["outcome"]) == ("done", "done")

    b.click('[data-action="no-show"]')
    expect(b.locator('[data-action="no-show"]')).to_contain_text("确认过号")
    assert status(api, admin, second)["status"] == "called", "one press must not mark a no-show"
    b.click('[data-action="no-show"]')
    expect(b.locator('[data-testid="idle"]')).to_be_visible()
    assert status(api, admin, second)["status"] == "no_show"
    shows_truth(a, api, li, 1)
    shows_truth(b, api, wang, 2)

    # A calls a specific ticket from the list: the last one issued.
    a.click(f'#queue li[data-number="{t[7]["number"]}"] [data-action="call"]')
    expect(a.locator("#current-number")).to_have_text(t[7]["number"])
    assert status(api, admin, t[7])["window"] == 1
    shows_truth(b, api, wang, 2)
    assert t[7]["number"] not in ui_queue(b), "B's list drops the ticket A called, without F5"

    # B calls t2, starts, and transfers it to window 1 through the dialog.
    b.click('[data-action="call-next"]')
    expect(b.locator("#current-number")).to_have_text(t[2]["number"])
    b.click('[data-action="start"]')
    expect(b.locator("#current-status")).to_have_attribute("data-status", "serving")
    b.click('#btn-transfer')
    expect(b.locator(".dialog")).to_be_visible()
    b.select_option("#transfer-window", "1")
    b.screenshot(path=str(shots / "transfer-dialog.png"), full_page=True)
    b.click('.dialog [data-action="transfer"][data-target="window"]')
    expect(b.locator(".dialog")).to_have_count(0)
    moved = status(api, admin, t[2])
    assert (moved["status"], moved["number"], moved["designated_window"]) == (
        "waiting", t[2]["number"], 1)
    late = api.issue(kiosk, "invoice")
    shows_truth(a, api, li, 1)
    assert ui_queue(a)[0] == t[2]["number"], "the transferred ticket keeps its place at window 1"
    assert ui_queue(a).index(t[2]["number"]) < ui_queue(a).index(late["number"])
    assert t[2]["number"] not in ui_queue(b), "designated to window 1 only"

    # A finishes with 材料不全, then call-next takes the transferred ticket before later ones.
    a.click('#outcomes label:has(input[value="incomplete"])')
    expect(a.locator('[data-action="finish"]')).to_contain_text("材料不全")
    a.click('[data-action="finish"]')
    expect(a.locator('[data-testid="idle"]')).to_be_visible()
    assert status(api, admin, t[7])["outcome"] == "incomplete"
    a.click('[data-action="call-next"]')
    expect(a.locator("#current-number")).to_have_text(t[2]["number"])

    # A sends it on to another service; it keeps its number and place, so B gets it next.
    a.click('#btn-transfer')
    a.select_option("#transfer-service", "business-license")
    a.click('.dialog [data-action="transfer"][data-target="service"]')
    expect(a.locator('[data-testid="idle"]')).to_be_visible()
    moved = status(api, admin, t[2])
    assert (moved["status"], moved["service"], moved["number"]) == (
        "waiting", "business-license", t[2]["number"])
    shows_truth(b, api, wang, 2)
    assert ui_queue(b)[0] == t[2]["number"]
    b.click('[data-action="call-next"]')
    expect(b.locator("#current-number")).to_have_text(t[2]["number"])
    b.click('[data-action="finish"]')
    expect(b.locator('[data-testid="idle"]')).to_be_visible()

    # B's list goes stale (a slow network); A calls t3 first; B's click is refused and explained.
    stale = api.http.get("/api/windows/2/queue", headers=wang).json()

    def serve_stale(route: Route) -> None:
        route.fulfill(status=200, json=stale)

    b.route("**/api/windows/2/queue", serve_stale)
    assert api.http.post("/api/windows/1/call", headers=li,
                         json={"ticket": t[3]["id"]}).status_code == 200
    expect(a.locator("#current-number")).to_have_text(t[3]["number"])
    b.click(f'#queue li[data-number="{t[3]["number"]}"] [data-action="call"]')
    expect(b.locator("#alert")).to_be_visible()
    expect(b.locator("#alert")).to_have_attribute("data-code", "ticket_not_waiting")
    expect(b.locator("#alert")).to_contain_text("已被其他窗口叫走")
    assert status(api, admin, t[3])["window"] == 1, "the refused call changed nothing"
    b.unroute("**/api/windows/2/queue")
    a.click('[data-action="finish"]')
    expect(a.locator('[data-testid="idle"]')).to_be_visible()
    shows_truth(a, api, li, 1)
    shows_truth(b, api, wang, 2)
    assert t[3]["number"] not in ui_queue(b)

    # Every ticket ends in exactly one correct state.
    final = {x["number"]: status(api, admin, x) for x in [*t, late]}
    assert {n: (s["status"], s.get("outcome")) for n, s in final.items()} == {
        t[0]["number"]: ("done", "done") if first is t[0] else ("no_show", None),
        t[1]["number"]: ("no_show", None) if first is t[0] else ("done", "done"),
        t[2]["number"]: ("done", "done"),
        t[3]["number"]: ("done", "done"),
        t[4]["number"]: ("waiting", None),
        t[5]["number"]: ("waiting", None),
        t[6]["number"]: ("waiting", None),
        t[7]["number"]: ("done", "incomplete"),
        late["number"]: ("waiting", None),
    }
    assert final[t[2]["number"]]["window"] == 2
    assert api_window(api, admin, 1)["current"] is None
    assert api_window(api, admin, 2)["current"] is None
    assert ui_queue(a) == ui_queue(b) == [t[4]["number"], t[5]["number"], t[6]["number"],
                                          late["number"]]


def test_clerk_cannot_act_on_another_clerks_window(browser: Browser, live: LiveServer, api: Api,
                                                    shots: Path) -> None:
    li = api.user("li", display_name="李娜")
    wang = api.user("wang", display_name="王强")
    boss = api.user("boss", role="manager", display_name="赵主任")
    kiosk, _ = api.device("kiosk")
    api.issue(kiosk, "invoice")
    assert api.http.post("/api/windows/1/open", headers=li).status_code == 200

    b = console(browser, live, "wang", None)
    expect(b.locator('[data-window-card="1"]')).to_contain_text("由 李娜 使用")
    b.click('[data-window-card="1"] [data-action="open"]')
    expect(b.locator("#alert")).to_be_visible()
    expect(b.locator("#alert")).to_have_attribute("data-code", "forbidden")
    expect(b.locator("#alert")).to_contain_text("其他工作人员使用")
    expect(b.locator("#console")).to_be_hidden()
    b.screenshot(path=str(shots / "forbidden.png"), full_page=True)

    r = api.http.post("/api/windows/1/call-next", headers=wang)
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")
    assert api_window(api, li, 1)["current"] is None, "the refusal changed nothing"

    # B opens window 2; a manager takes it over; B's console explains and stops offering actions.
    b.click('#alert-close')
    b.click('[data-window-card="2"] [data-action="open"]')
    expect(b.locator("#win-title")).to_have_text("2 号窗口")
    expect(b.locator('[data-action="call-next"]')).to_be_enabled()
    assert api.http.post("/api/windows/2/open", headers=boss).status_code == 200
    expect(b.locator("#lost")).to_contain_text("赵主任")
    expect(b.locator("#lost")).to_contain_text("不能再操作")
    expect(b.locator('#console [data-action="call-next"]')).to_be_disabled()
    r = api.http.post("/api/windows/2/call-next", headers=wang)
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")


def test_keypad_shortcuts_and_walk_in_ticket(browser: Browser, live: LiveServer, api: Api) -> None:
    admin = api.admin()
    api.user("li", display_name="李娜")
    kiosk, _ = api.device("kiosk")
    t1 = api.issue(kiosk, "pension-insurance")
    t2 = api.issue(kiosk, "invoice")
    page = console(browser, live, "li", 3)
    expect(page.locator("#shortcut-table")).to_contain_text("叫下一位")
    eventually(lambda: len(ui_queue(page)) == 2)

    page.keyboard.press("+")
    expect(page.locator("#current-number")).to_have_text(t1["number"])
    page.keyboard.press("/")
    expect(page.locator("#current-status")).to_have_attribute("data-status", "serving")
    page.keyboard.press("2")
    expect(page.locator('#outcomes label.on')).to_contain_text("延时办")
    page.keyboard.press("Enter")
    expect(page.locator('[data-testid="idle"]')).to_be_visible()
    finished = status(api, admin, t1)
    assert (finished["status"], finished["outcome"]) == ("done", "deferred")

    page.keyboard.press("F1")
    expect(page.locator("#current-number")).to_have_text(t2["number"])
    page.keyboard.press("*")
    expect(page.locator("#notice")).to_contain_text(f"已重呼 {t2['number']}")
    assert status(api, admin, t2).get("call_count") == 2
    page.keyboard.press("-")
    expect(page.locator('[data-action="no-show"]')).to_contain_text("确认过号")
    page.keyboard.press("-")
    expect(page.locator('[data-testid="idle"]')).to_be_visible()
    assert status(api, admin, t2)["status"] == "no_show"

    page.keyboard.press("0")
    expect(page.locator("#win-status")).to_have_text("暂停")
    assert api_window(api, admin, 3)["status"] == "paused"
    page.keyboard.press("0")
    expect(page.locator("#win-status")).to_have_text("开放")

    # A walk-in at the counter gets a counter-channel ticket that appears in the list.
    page.select_option("#walkin-service", "veterans-benefits")
    page.select_option("#walkin-priority", "veteran")
    page.click("#walkin-submit")
    expect(page.locator("#notice")).to_contain_text("已为窗口前的群众取号")
    eventually(lambda: len(ui_queue(page)) == 1)
    issued = api.http.get("/api/windows/3/queue", headers=admin).json()
    assert [(x["channel"], x["priority"], x["service"]) for x in issued] == [
        ("counter", "veteran", "veterans-benefits")]
    assert ui_queue(page) == [issued[0]["number"]]
