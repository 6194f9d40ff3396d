"""Websockets are capped per ticket or case, per address and on the hall stream; views are shared."""

from __future__ import annotations

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.support.http import issue, kiosk, recv, staff
from tests.support.live import Api, LiveServer


def test_ticket_sockets_are_capped_per_ticket_and_share_one_view(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    t = issue(api, k, "invoice")
    url = f"{live.ws_url}/ws/tickets/{t['id']}?token={t['token']}"
    sockets = [connect(url) for _ in range(3)]
    try:
        for ws in sockets:
            assert recv(ws)["ticket"]["id"] == t["id"]
        with pytest.raises(InvalidStatus):
            connect(url).close()
        feed = live.runtime.ticket_feed
        before = feed.computed
        api.http.post("/api/windows/14/open", headers=admin)
        api.http.post("/api/windows/14/call-next", headers=admin)
        for ws in sockets:
            while recv(ws)["ticket"]["status"] != "called":
                pass
        # One view per refresh, shared by the three sockets (a refresh per event at most).
        assert 1 <= feed.computed - before <= 3
    finally:
        for ws in sockets:
            ws.close()


@pytest.mark.server(settings={"ws_per_ip": 2, "ws_hall_max": 2, "ws_hall_per_ip": 2})
def test_sockets_are_capped_per_address_and_on_the_hall_stream(live: LiveServer, api: Api) -> None:
    k = kiosk(api, api.admin())
    tickets = [issue(api, k, "invoice") for _ in range(3)]
    urls = [f"{live.ws_url}/ws/tickets/{t['id']}?token={t['token']}" for t in tickets]
    open_ = [connect(u) for u in urls[:2]]
    try:
        with pytest.raises(InvalidStatus):
            connect(urls[2]).close()
    finally:
        for ws in open_:
            ws.close()
    halls = [connect(live.ws_url + "/ws/hall") for _ in range(2)]
    try:
        for ws in halls:
            assert recv(ws)["type"] == "snapshot"
        with pytest.raises(InvalidStatus):
            connect(live.ws_url + "/ws/hall").close()
    finally:
        for ws in halls:
            ws.close()


@pytest.mark.server(settings={"ws_per_item": 3, "ws_per_ip": 4})
def test_case_sockets_have_the_caps_of_ticket_sockets(live: LiveServer, api: Api) -> None:
    # Per case (ws_per_item) and per address, through the same feed as tickets: one case token
    # can no longer hold sockets without limit, and the open ones keep receiving.
    admin = api.admin()
    clerk = staff(live, api, admin, "clerk1")
    made = []
    for _ in range(2):
        r = api.http.post("/api/cases", headers=clerk, json={"matter": "M002", "applicant": {"name": "王秀英"}})
        assert r.status_code == 201, r.text
        made.append(r.json())
    first, second = made
    url = f"{live.ws_url}/ws/cases/{first['id']}?token={first['token']}"
    sockets = [connect(url) for _ in range(3)]
    try:
        for ws in sockets:
            assert recv(ws)["case"]["id"] == first["id"]
        with pytest.raises(InvalidStatus):  # a fourth on the same case
            connect(url).close()
        other = connect(f"{live.ws_url}/ws/cases/{second['id']}?token={second['token']}")
        assert recv(other)["case"]["id"] == second["id"]
        with pytest.raises(InvalidStatus):  # a fifth from the same address
            connect(f"{live.ws_url}/ws/cases/{second['id']}?token={second['token']}").close()
        other.close()
        r = api.http.post(f"/api/cases/{first['id']}/process", headers=clerk)
        assert r.status_code == 200, r.text
        for ws in sockets:
            while recv(ws)["case"]["status"] != "processing":
                pass
        assert live.runtime.case_feed.computed >= 2
    finally:
        for ws in sockets:
            ws.close()
