"""The estimate a new ticket is given matches a full simulation of the queue it joined."""

from __future__ import annotations

import random

from tests.support.live import Api, LiveServer

SERVICES = ["forestry-permit", "invoice", "pension-insurance", "rural-housing", "veterans-benefits"]


def test_each_issued_ticket_gets_the_estimate_a_full_simulation_gives(live: LiveServer, api: Api) -> None:
    kiosk, _ = api.device("kiosk")
    admin = api.admin()
    for window in (1, 10, 14):
        assert api.http.post(f"/api/windows/{window}/open", headers=admin).status_code == 200
    rng = random.Random(7)
    for i in range(60):
        body = {"service": rng.choice(SERVICES), "channel": "kiosk"}
        if i % 9 == 4:
            body["priority"] = "elderly"
        ticket = api.http.post("/api/tickets", headers=kiosk, json=body).json()
        full = live.runtime.estimator.compute(max_age=0).tickets.get(ticket["id"])
        if full is not None:
            assert ticket["ahead"] == full.ahead, (i, ticket["number"])
            assert abs(ticket["eta_minutes"] - full.eta_minutes) <= 1, (i, ticket["number"])
        if i % 7 == 3:
            assert api.http.post("/api/windows/10/call-next", headers=admin).status_code in (200, 409)
            api.http.post("/api/windows/10/finish", headers=admin, json={"outcome": "done"})
    assert api.http.get("/api/stats/summary", headers=admin).json()["issued"] == 60
