"""Pages served as they are: the phone pages, and the API docs without any CDN."""

from __future__ import annotations

import re

import httpx

from tests.support.live import Api, LiveServer


def test_the_phone_pages_are_served_and_the_pass_check_is_documented(live: LiveServer) -> None:
    for path, text in [("/m", "手机取号"), ("/m/guide", "能办吗"), ("/m/t/1", "我的号码")]:
        r = httpx.get(live.url + path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert text in r.text
    spec = httpx.get(f"{live.url}/openapi.json").json()
    assert "/api/hall-pass/check" in spec["paths"]
    assert "/m" not in spec["paths"]


def test_api_docs_are_served_without_any_cdn(api: Api) -> None:
    page = api.http.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(r"url: '([^']+)'", page.text)
    assert assets and all(a.startswith("/") for a in assets), assets
    for asset in assets:
        assert api.http.get(asset).status_code == 200, asset
    assert "/api/tickets" in api.http.get("/openapi.json").json()["paths"]
