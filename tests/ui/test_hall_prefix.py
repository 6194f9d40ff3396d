"""Pages opened under /h/{code}/ ask that hall's API, sockets and pages; assets stay under /static."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Route, expect

from tests.support.live import Api, LiveServer

PREFIX = "/h/xiasi"


@pytest.fixture
def hall_context(browser: Browser, live: LiveServer) -> Iterator[tuple[BrowserContext, list[str]]]:
    """Return a browser context that serves /h/xiasi/… from the server's root, and every path asked."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    asked: list[str] = []

    def unprefix(route: Route) -> None:
        # The server does not route /h/{code} yet: answer each hall URL with the root one.
        url = route.request.url.replace(live.url + PREFIX, live.url, 1)
        route.fulfill(response=route.fetch(url=url))

    ctx.route(re.compile(re.escape(live.url + PREFIX) + r"/.*"), unprefix)
    ctx.on("request", lambda r: asked.append(urlsplit(r.url).path))
    ctx.on("page", lambda page: page.on("websocket", lambda ws: asked.append("ws:" + urlsplit(ws.url).path)))
    yield ctx, asked
    ctx.unroute_all(behavior="ignoreErrors")  # a page's timer may be asking as the context closes
    ctx.close()


def test_the_guide_under_a_hall_prefix_searches_and_links_in_that_hall(
        live: LiveServer, hall_context: tuple[BrowserContext, list[str]]) -> None:
    ctx, asked = hall_context
    page = ctx.new_page()
    page.goto(f"{live.url}{PREFIX}/m/guide")
    page.fill("#q", "残疾证")
    page.click("#search button[type=submit]")
    cert = page.locator(".matter", has_text="更换残疾证")
    expect(cert).to_be_visible()
    expect(cert.locator("a.take-link")).to_have_attribute("href", re.compile(rf"^{PREFIX}/m\?service="))
    expect(page.locator("#to-take")).to_have_attribute("href", f"{PREFIX}/m")
    api_calls = [p for p in asked if "/api/" in p]
    assert f"{PREFIX}/api/catalog" in api_calls and f"{PREFIX}/api/guide" in api_calls, api_calls
    assert all(p.startswith(PREFIX + "/api/") for p in api_calls), api_calls
    assets = [p for p in asked if p.endswith((".js", ".css"))]
    assert assets and all(p.startswith("/static/") for p in assets), assets


def test_the_clerk_console_under_a_hall_prefix_uses_that_halls_api_and_socket(
        live: LiveServer, api: Api, hall_context: tuple[BrowserContext, list[str]]) -> None:
    api.user("li", display_name="李娜")
    ctx, asked = hall_context
    page = ctx.new_page()
    page.goto(f"{live.url}{PREFIX}/clerk")
    page.fill("#username", "li")
    page.fill("#password", "password-123")
    page.click("#login-submit")
    page.click('[data-window-card="2"] [data-action="open"]')
    expect(page.locator("#win-title")).to_have_text("2 号窗口")
    expect(page.locator("#win-status")).to_have_text("开放")
    assert f"{PREFIX}/api/auth/login" in asked and f"{PREFIX}/api/windows/2/open" in asked, asked
    assert not [p for p in asked if p.startswith("/api/") or p.startswith("ws:/ws/")], asked
    assert f"ws:{PREFIX}/ws/hall" in asked, asked
