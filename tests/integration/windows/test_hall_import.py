"""Importing a hall with fewer windows: the windows gone are retired, their tickets and clerks freed."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.support.http import PASSWORD, bearer, issue, kiosk, login, staff
from tests.support.live import Api, LiveServer


def test_windows_gone_from_an_imported_hall_are_retired(serve: Callable[..., LiveServer]) -> None:
    live = serve(var="v")
    api = Api(live.url)
    admin = api.admin()
    li = staff(live, api, admin, "li")
    k = kiosk(api, admin)
    t = issue(api, k, "invoice")
    api.http.post("/api/windows/14/open", headers=admin)
    api.http.post("/api/windows/14/call-next", headers=admin)
    assert api.http.post("/api/windows/14/transfer", headers=admin,
                         json={"window": 16}).status_code == 200
    assert api.http.post("/api/windows/16/open", headers=li).status_code == 200
    api.http.post("/api/windows/14/close", headers=admin)
    live.stop()
    smaller = serve(var="v", windows=15)
    api = Api(smaller.url)
    admin = api.admin()
    windows = api.http.get("/api/windows", headers=admin)
    assert windows.status_code == 200 and len(windows.json()) == 15
    li = bearer(login(smaller, "li", PASSWORD).json()["token"])
    assert api.http.post("/api/windows/14/open", headers=li).status_code == 200  # li is free
    called = api.http.post("/api/windows/14/call-next", headers=li)
    assert called.status_code == 200 and called.json()["ticket"]["id"] == t["id"]
    assert httpx.get(smaller.url + "/api/queue").status_code == 200
    api.close()
