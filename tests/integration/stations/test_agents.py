"""Village agents (代办员) over a live server on SQLite and PostgreSQL: what they may do, and nothing else."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.support.agents import DISTANCES, agent, home_body
from tests.support.cases import applicant, new_case
from tests.support.clock import MovableClock
from tests.support.halls import LONG_SESSIONS
from tests.support.http import assert_error
from tests.support.live import Api, LiveServer

pytestmark = pytest.mark.server(db="both", settings=LONG_SESSIONS, stations=DISTANCES,
                                hall_settings={"agent_daily_tickets": 3})


def _count(api: Api, headers: dict[str, str], **query: str) -> int:
    r = api.http.get("/api/cases", headers=headers, params={"limit": "200", **query})
    assert r.status_code == 200, r.text
    return int(r.json()["total"])


def test_users_name_a_station_only_as_agents(api: Api) -> None:
    admin = api.admin()

    def add(**body: Any) -> Any:
        return api.http.post("/api/admin/users", headers=admin,
                             json={"username": body.pop("u"), "password": "password-123", **body})

    assert_error(add(u="a1", role="agent"), 422, "invalid")
    assert_error(add(u="a2", role="agent", station="V99"), 422, "invalid")
    assert_error(add(u="c1", role="clerk", station="V01"), 422, "invalid")
    r = add(u="a3", role="agent", station="V07")
    assert r.status_code == 201 and r.json()["station"] == "V07" and r.json()["role"] == "agent"
    me = api.http.get("/api/auth/me", headers={
        "Authorization": "Bearer " + api.login("a3", "password-123")}).json()
    assert me["role"] == "agent" and me["station"] == "V07" and "V07" in me["station_name"]
    stations = api.http.get("/api/stations", headers=admin).json()
    assert len(stations["stations"]) == 38 and stations["proxy_window"] == 17
    v07 = next(s for s in stations["stations"] if s["code"] == "V07")
    assert [a["username"] for a in v07["agents"]] == ["a3"]


@pytest.mark.server(clock="2026-12-01 10:00")
def test_an_agents_whole_flow_single_and_batch(clock: MovableClock, api: Api) -> None:
    a1 = agent(api, "agent1", "V01")
    clerk = api.user("clerk1")
    single = new_case(api, a1, "M002", applicant=applicant())
    assert single["channel"] == "agent" and single["station"] == "V01" and single["token"]
    key = {"Idempotency-Key": "batch-1"}
    batch_body = {"cases": [home_body("M002", "elderly", "张大爷"), home_body("M007", "disabled", "刘阿姨"),
                            home_body("M010", "left_behind", "陈小明")]}
    r = api.http.post("/api/cases/batch", headers={**a1, **key}, json=batch_body)
    assert r.status_code == 201, r.text
    batch = r.json()
    assert [c["channel"] for c in batch["cases"]] == ["home"] * 3
    assert {c["station"] for c in batch["cases"]} == {"V01"}
    assert [c["group"] for c in batch["cases"]] == ["elderly", "disabled", "left_behind"]
    # A retry of the same batch (its answer lost on the way) makes nothing new.
    again = api.http.post("/api/cases/batch", headers={**a1, **key}, json=batch_body)
    assert again.status_code == 200 and again.json()["batch"] == batch["batch"]
    assert [c["id"] for c in again.json()["cases"]] == [c["id"] for c in batch["cases"]]
    assert_error(api.http.post("/api/cases/batch", headers={**a1, **key},
                               json={"cases": batch_body["cases"][:1]}), 422, "invalid")
    assert _count(api, a1) == 4
    # The hall's proxy window sees them; the hall completes one; the agent delivers it.
    proxy = api.http.get("/api/cases", headers=clerk, params={"queue": "proxy"}).json()
    assert proxy["proxy_window"] == 17 and proxy["total"] == 4
    cid = batch["cases"][0]["id"]
    for action, body in (("process", None), ("complete", {"result": "approved"})):
        assert api.http.post(f"/api/cases/{cid}/{action}", headers=clerk, json=body).status_code == 200
    assert_error(api.http.post(f"/api/cases/{cid}/complete", headers=a1, json={"result": "approved"}),
                 403, "forbidden")
    assert_error(api.http.post(f"/api/cases/{cid}/deliver", headers=a1, json={"method": "pickup"}),
                 403, "forbidden")
    clock.set("2026-12-02 15:00")
    done = api.http.post(f"/api/cases/{cid}/deliver", headers=a1, json={"method": "agent"})
    assert done.status_code == 200 and done.json()["status"] == "delivered"
    assert done.json()["delivery"] == "agent"
    # Withdraw needs a note (422 after the state check); then works.
    other = batch["cases"][1]["id"]
    assert_error(api.http.post(f"/api/cases/{other}/withdraw", headers=a1, json={"note": " "}), 422, "invalid")
    assert api.http.post(f"/api/cases/{other}/withdraw", headers=a1,
                         json={"note": "群众已自行到镇上办理"}).json()["status"] == "withdrawn"
    assert_error(api.http.post(f"/api/cases/{other}/withdraw", headers=a1, json={"note": "x"}),
                 409, "invalid_state")
    # A single case retried with its key is one case too.
    body = {"matter": "M002", "applicant": {"name": "赵六"}}
    first = api.http.post("/api/cases", headers={**a1, "Idempotency-Key": "c-1"}, json=body)
    second = api.http.post("/api/cases", headers={**a1, "Idempotency-Key": "c-1"}, json=body)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and second.json()["token"] == first.json()["token"]
    # The key belongs to the caller: another agent's same key is its own request.
    a2 = agent(api, "agent2", "V02")
    third = api.http.post("/api/cases", headers={**a2, "Idempotency-Key": "c-1"}, json=body)
    assert third.status_code == 201 and third.json()["station"] == "V02"


def test_a_batch_with_one_bad_case_is_refused_whole(api: Api) -> None:
    a1 = agent(api, "agent1", "V01")
    seq = api.http.get("/api/queue").json()["seq"]
    bad_id = {"name": "王五", "id_number": "510823199001011230"}  # a wrong check digit
    bodies = [home_body("M002"), home_body("M002", applicant=bad_id), home_body("M007")]
    r = api.http.post("/api/cases/batch", headers=a1, json={"cases": bodies})
    assert_error(r, 422, "invalid")
    assert "cases[1]" in r.json()["error"]["message"]
    bad_group = [home_body("M002"), home_body("M002", group="rich")]
    assert "cases[1]" in api.http.post("/api/cases/batch", headers=a1,
                                       json={"cases": bad_group}).json()["error"]["message"]
    assert _count(api, a1) == 0 and _count(api, api.admin()) == 0
    assert api.http.get("/api/queue").json()["seq"] == seq


def test_one_agent_cannot_see_or_act_on_another_stations_cases(live: LiveServer, api: Api) -> None:
    a1, a2 = agent(api, "agent1", "V01"), agent(api, "agent2", "V02")
    clerk = api.user("clerk1")
    mine = new_case(api, a1, "M002")
    window_case = new_case(api, clerk, "M002")
    assert _count(api, a2) == 0 and _count(api, a1) == 1
    assert _count(api, a2, station="V01") == 0
    for cid in (mine["id"], window_case["id"]):
        assert_error(api.http.get(f"/api/cases/{cid}", headers=a2), 403, "forbidden")
        assert_error(api.http.post(f"/api/cases/{cid}/withdraw", headers=a2, json={"note": "x"}),
                     403, "forbidden")
    # Order: 401, then 404, then 403, then 409, then 422.
    assert_error(httpx.post(f"{live.url}/api/cases/{mine['id']}/withdraw", json={"note": "x"}),
                 401, "unauthorized")
    assert_error(api.http.post("/api/cases/999999/withdraw", headers=a2, json={"note": "x"}), 404, "not_found")
    assert_error(api.http.post(f"/api/cases/{mine['id']}/deliver", headers=a2, json={}), 403, "forbidden")
    assert_error(api.http.post(f"/api/cases/{mine['id']}/deliver", headers=a1, json={"method": "agent"}),
                 409, "invalid_state")
    assert_error(api.http.post(f"/api/cases/{mine['id']}/process", headers=a1), 403, "forbidden")
    # Naming another station, or a clerk naming any, is refused; a manager may.
    assert_error(api.http.post("/api/cases", headers=a1, json={
        "matter": "M002", "applicant": {"name": "x"}, "station": "V02"}), 403, "forbidden")
    assert_error(api.http.post("/api/cases", headers=clerk, json={
        "matter": "M002", "applicant": {"name": "x"}, "station": "V02"}), 403, "forbidden")
    manager = api.user("boss", role="manager")
    made = new_case(api, manager, "M002", station="V02", group="hardship")
    assert made["channel"] == "home" and made["station"] == "V02"
    assert _count(api, a2) == 1


@pytest.mark.server(clock="2026-12-01 10:00")
def test_agent_daily_tickets_are_enforced(live: LiveServer, clock: MovableClock, api: Api) -> None:
    a1, a2 = agent(api, "agent1", "V01"), agent(api, "agent2", "V02")
    clerk = api.user("clerk1")

    def take(headers: dict[str, str], key: str | None = None) -> Any:
        extra = {"Idempotency-Key": key} if key else {}
        return api.http.post("/api/tickets", headers={**headers, **extra},
                             json={"service": "pension-insurance", "channel": "agent"})

    first = take(a1, "t-1")
    assert first.status_code == 201 and first.json()["channel"] == "agent"
    assert take(a1, "t-1").status_code == 200  # a replay is not another ticket
    assert take(a1).status_code == 201 and take(a1).status_code == 201
    assert_error(take(a1), 429, "rate_limited")
    assert take(a2).status_code == 201  # the limit is per agent
    assert_error(take(clerk), 403, "forbidden")
    assert_error(httpx.post(f"{live.url}/api/tickets",
                            json={"service": "pension-insurance", "channel": "agent"}), 401, "unauthorized")
    assert_error(api.http.post("/api/tickets", headers=a1, json={
        "service": "pension-insurance", "channel": "counter"}), 403, "forbidden")
    clock.set("2026-12-02 09:00")  # a new service day
    assert take(a1).status_code == 201


@pytest.mark.server(clock="2026-12-01 10:00")
def test_km_saved_matches_a_hand_computation(api: Api) -> None:
    a1, a2, a3 = agent(api, "agent1", "V01"), agent(api, "agent2", "V02"), agent(api, "agent3", "V03")
    clerk, manager = api.user("clerk1"), api.user("boss", role="manager")
    new_case(api, a1, "M002")
    new_case(api, a1, "M001")  # onsite: completed at once, still a trip saved
    api.http.post("/api/cases/batch", headers=a1, json={"cases": [home_body(), home_body("M007")]})
    new_case(api, a2, "M002")
    new_case(api, a3, "M002")
    new_case(api, clerk, "M002")
    withdrawn = new_case(api, a2, "M002")
    api.http.post(f"/api/cases/{withdrawn['id']}/withdraw", headers=a2, json={"note": "不办了"})
    stats = api.http.get("/api/stats/cases", headers=manager,
                         params={"from": "2026-12-01", "to": "2026-12-01"}).json()
    rows = {r["station"]: r for r in stats["by_station"]}
    # V01: 4 cases × 2 × 12.5 km; V02: 1 (the withdrawn one counts nowhere) × 2 × 8 km; V03: unknown.
    assert rows["V01"]["km_saved"] == 100.0 and rows["V01"]["accepted"] == 4
    assert rows["V01"]["completed"] == 1 and rows["V01"]["on_time_pct"] == 100.0
    assert rows["V02"]["km_saved"] == 16.0 and rows["V02"]["accepted"] == 1
    assert rows["V03"]["km_saved"] is None and rows["V03"]["accepted"] == 1
    assert re.search("V01", rows["V01"]["name"])
    assert stats["by_channel"] == {"window": 1, "agent": 4, "home": 2}
