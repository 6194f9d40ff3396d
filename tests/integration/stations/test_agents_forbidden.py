"""Every route in the OpenAPI listing answers an agent 403, except the few API.md allows it.

A new route is caught here until it is classified: an agent may use it, it is public (an agent is
treated like anyone), or it answers 403.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.agents import DISTANCES, agent
from tests.support.cases import new_case
from tests.support.http import kiosk
from tests.support.live import Api, LiveServer

pytestmark = pytest.mark.server(db="both", stations=DISTANCES)

# What API.md lets an agent do (method, path).
AGENT_ALLOWED = {
    ("POST", "/api/auth/login"), ("POST", "/api/auth/logout"), ("GET", "/api/auth/me"),
    ("POST", "/api/tickets"),
    ("POST", "/api/cases"), ("POST", "/api/cases/batch"), ("GET", "/api/cases"),
    ("GET", "/api/cases/{case_id}"),
    ("POST", "/api/cases/{case_id}/deliver"), ("POST", "/api/cases/{case_id}/withdraw"),
}
# Public or resident-token routes: an agent is treated exactly like an anonymous caller.
PUBLIC = re.compile(
    r"^(GET /healthz|GET /api/(catalog|guide|queue|calendar|calendar/coverage|tts)"
    r"|POST /api/tickets/\{ticket_id\}/evaluation|GET /api/tickets/\{ticket_id\}/notice.*"
    r"|GET /api/appointments/slots|POST /api/appointments|(GET|POST) /api/appointments/\{appointment_id\}.*"
    r"|POST /api/feedback|(GET|POST) /api/cases/\{case_id\}/evaluation"
    r"|GET /api/hall-pass/check|GET /api/county/halls"
    r"|GET /api/calendar.*)$")


def _url(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m[1], "1"), path)


def test_every_route_an_agent_may_not_use_answers_403(live: LiveServer, api: Api) -> None:
    a1 = agent(api, "agent1", "V01")
    clerk = api.user("clerk1")
    ticket = api.issue(kiosk(api, api.admin()), "pension-insurance")
    case = new_case(api, clerk, "M002")  # a case the agent's station does not hold
    ids = {"ticket_id": str(ticket["id"]), "case_id": str(case["id"]), "username": "clerk1",
           "device_id": "1"}
    schema = live.app.openapi()
    checked, unexpected = 0, []
    anonymous = httpx.Client(base_url=live.url, timeout=30)  # no session cookie rides along
    for path, ops in schema["paths"].items():
        for method in ops:
            op = f"{method.upper()} {path}"
            if (method.upper(), path) in AGENT_ALLOWED:
                continue
            url = _url(path, ids)
            body = None if method in ("get", "delete") else {}
            r = api.http.request(method.upper(), url, headers=a1, json=body)
            if PUBLIC.match(op):
                anon = anonymous.request(method.upper(), url, json=body)
                if r.status_code != anon.status_code:
                    unexpected.append(f"{op}: agent {r.status_code}, anonymous {anon.status_code}")
            elif r.status_code != 403 or r.json()["error"]["code"] != "forbidden":
                unexpected.append(f"{op}: {r.status_code} {r.text[:120]}")
            checked += 1
    anonymous.close()
    assert not unexpected, "classify these routes for agents:\n" + "\n".join(unexpected)
    assert checked > 40


def test_what_an_agent_may_use_answers_it(api: Api) -> None:
    a1 = agent(api, "agent1", "V01")
    assert api.http.get("/api/auth/me", headers=a1).json()["station"] == "V01"
    assert api.http.get("/api/cases", headers=a1).status_code == 200
    assert api.http.get("/api/guide", params={"q": "残疾"}).json()["matters"]
    made = new_case(api, a1, "M002")
    assert api.http.get(f"/api/cases/{made['id']}", headers=a1).json()["station"] == "V01"
    r = api.http.post("/api/tickets", headers=a1, json={"service": "pension-insurance", "channel": "agent"})
    assert r.status_code == 201, r.text
    assert api.http.post("/api/auth/logout", headers=a1).status_code == 204
