"""Cases over a live server on SQLite and PostgreSQL: every action, every refusal, in the contract's order."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from websockets.sync.client import connect

from tests.support.cases import (
    BAD_ID_NUMBER,
    ID_NUMBER,
    MASKED_ID,
    MASKED_PHONE,
    PHONE,
    act,
    applicant,
    id_number,
    new_case,
)
from tests.support.clock import MovableClock
from tests.support.halls import LONG_SESSIONS
from tests.support.http import assert_error, assert_refused, kiosk
from tests.support.live import Api, LiveServer

pytestmark = pytest.mark.server(db="both", settings=LONG_SESSIONS, clock="2026-12-01 10:00")  # a Tuesday


def test_a_deferred_case_goes_through_every_state_and_refuses_what_the_state_does_not_allow(
        clock: MovableClock, api: Api) -> None:
    clerk = api.user("clerk1")
    case = new_case(api, clerk, "M002")  # 5 working days
    assert re.fullmatch(r"BJ20261201-0001", case["number"])
    assert case["status"] == "accepted" and case["mode"] == "deferred" and case["channel"] == "window"
    assert case["applicant"] == {"name": "王秀英", "phone": MASKED_PHONE, "id_number": MASKED_ID}
    assert case["due_date"] == "2026-12-08" and case["promised_days"] == 5 and case["on_time"] is None
    assert case["token"] and case["track_url"].endswith(f"/m/c/{case['id']}?token={case['token']}")
    assert [h["status"] for h in case["history"]] == ["accepted"]
    cid = case["id"]

    act(api, clerk, cid, "process")
    assert_error(api.http.post(f"/api/cases/{cid}/process", headers=clerk), 409, "invalid_state")
    assert_error(api.http.post(f"/api/cases/{cid}/suspend", headers=clerk, json={"missing": []}), 422, "invalid")
    clock.set("2026-12-02 09:00")
    suspended = act(api, clerk, cid, "suspend", {"missing": ["户口簿", "银行卡"], "note": "下周补"})
    assert suspended["status"] == "suspended" and suspended["missing"] == ["户口簿", "银行卡"]
    assert_error(api.http.post(f"/api/cases/{cid}/complete", headers=clerk, json={"result": "approved"}),
                 409, "invalid_state")
    clock.set("2026-12-04 15:00")  # Wed → Fri: Thursday and Friday stopped the clock
    resumed = act(api, clerk, cid, "resume")
    assert resumed["status"] == "processing"  # back to where it was suspended from
    assert resumed["suspended_days"] == 2 and resumed["due_date"] == "2026-12-10"
    # A refusal needs a note; the refused request changes nothing.
    assert_error(api.http.post(f"/api/cases/{cid}/complete", headers=clerk, json={"result": "refused"}),
                 422, "invalid")
    assert api.http.get(f"/api/cases/{cid}", headers=clerk).json()["status"] == "processing"
    clock.set("2026-12-10 16:00")
    done = act(api, clerk, cid, "complete", {"result": "approved", "note": "已发放"})
    assert done["status"] == "completed" and done["on_time"] is True and done["result"] == "approved"
    assert_error(api.http.post(f"/api/cases/{cid}/deliver", headers=clerk, json={"method": "drone"}),
                 422, "invalid")
    delivered = act(api, clerk, cid, "deliver", {"method": "pickup"})
    assert delivered["status"] == "delivered" and delivered["delivery"] == "pickup"
    assert delivered["delivered_at"].startswith("2026-12-10T16:00")
    # State before body: a withdraw without its note on a delivered case is a 409.
    assert_error(api.http.post(f"/api/cases/{cid}/withdraw", headers=clerk, json={}), 409, "invalid_state")
    assert [h["status"] for h in delivered["history"]] == [
        "accepted", "processing", "suspended", "processing", "completed", "delivered"]
    assert "token" not in delivered and "track_url" not in delivered

    late = new_case(api, clerk, "M002")  # accepted on 10 December, due 17 December
    assert late["number"] == "BJ20261210-0001"
    act(api, clerk, late["id"], "suspend", {"missing": ["证明"]})
    assert act(api, clerk, late["id"], "resume")["status"] == "accepted"
    assert_error(api.http.post(f"/api/cases/{late['id']}/withdraw", headers=clerk, json={"note": ""}),
                 422, "invalid")
    withdrawn = act(api, clerk, late["id"], "withdraw", {"note": "申请人撤回"})
    assert withdrawn["status"] == "withdrawn" and withdrawn["history"][-1]["note"] == "申请人撤回"
    again = new_case(api, clerk, "M002")
    assert again["number"] == "BJ20261210-0002"  # numbers are never reused
    clock.set("2026-12-18 10:00")
    assert act(api, clerk, again["id"], "complete", {"result": "refused", "note": "不符合条件"})["on_time"] is False


def test_refusals_come_in_the_contracts_order(live: LiveServer, api: Api) -> None:
    clerk = api.user("clerk1")
    device = kiosk(api, api.admin())
    cid = new_case(api, clerk)["id"]
    # 401 before 404, 404 before 422 or 409, 403 before 409.
    anon = httpx.Client(base_url=live.url)  # api.http carries the session cookie of its logins
    assert_error(anon.post("/api/cases/999999/complete", json={}), 401, "unauthorized")
    assert_error(anon.post(f"/api/cases/{cid}/process"), 401, "unauthorized")
    anon.close()
    assert_error(api.http.post("/api/cases/999999/complete", headers=clerk, json={}), 404, "not_found")
    assert_error(api.http.post("/api/cases/999999/withdraw", headers=clerk), 404, "not_found")
    assert_error(api.http.post(f"/api/cases/{cid}/deliver", headers=device, json={"method": "x"}),
                 403, "forbidden")
    assert_error(api.http.post("/api/cases", headers=device, json={"matter": "M002",
                                                                   "applicant": applicant()}), 403, "forbidden")
    assert_error(api.http.post(f"/api/cases/{cid}/deliver", headers=clerk, json={"method": "x"}),
                 409, "invalid_state")
    assert_error(api.http.post(f"/api/cases/{cid}/complete", headers=clerk, json={"result": "maybe"}),
                 422, "invalid")
    # Creation refusals.
    for body, status, code in (
        ({"matter": "NOPE", "applicant": applicant()}, 422, "invalid"),
        ({"matter": "M002", "applicant": applicant(id_no=BAD_ID_NUMBER)}, 422, "invalid"),
        ({"matter": "M002", "applicant": applicant(), "ticket": 987654}, 422, "invalid"),
        ({"matter": "M002", "applicant": applicant(), "group": "elderly"}, 422, "invalid"),
        ({"matter": "M002", "applicant": applicant(), "station": "V01"}, 403, "forbidden"),
        ({"matter": "M002", "applicant": {"name": ""}}, 422, "invalid"),
        ({"matter": "M002", "applicant": applicant(phone="12345")}, 422, "invalid"),
    ):
        assert_error(api.http.post("/api/cases", headers=clerk, json=body), status, code)
    manager = api.user("boss", "manager")  # a station the hall YAML does not list
    assert_error(api.http.post("/api/cases", headers=manager, json={
        "matter": "M002", "applicant": applicant(), "station": "V99"}), 422, "invalid")
    # Nothing refused was stored: the first case is still the only one.
    listing = api.http.get("/api/cases", headers=clerk).json()
    assert listing["total"] == 1 and listing["cases"][0]["status"] == "accepted"


def test_onsite_proxy_ticket_links_and_batches(api: Api) -> None:
    admin = api.admin()
    clerk, manager = api.user("clerk1"), api.user("boss", "manager")
    onsite = new_case(api, clerk, "M001")
    assert onsite["status"] == "delivered" and onsite["result"] == "approved"
    assert onsite["delivery"] == "pickup" and onsite["on_time"] is True
    assert onsite["completed_at"] == onsite["delivered_at"] == onsite["accepted_at"]
    assert onsite["promised_days"] == 0 and onsite["due_date"] == "2026-12-01"
    proxy = new_case(api, clerk, "M004")  # handled_here: false
    assert proxy["mode"] == "proxy" and proxy["status"] == "accepted" and proxy["promised_days"] == 15
    ticket = api.issue(kiosk(api, admin), "pension-insurance")
    linked = new_case(api, clerk, "M002", ticket=ticket["id"], received_materials=["身份证"])
    assert linked["ticket"] == ticket["id"] and linked["received_materials"] == ["身份证"]

    assert_error(api.http.post("/api/cases/batch", headers=clerk, json={"cases": [
        {"matter": "M002", "applicant": applicant()}]}), 403, "forbidden")
    bad = api.http.post("/api/cases/batch", headers=manager, json={"cases": [
        {"matter": "M002", "applicant": applicant()},
        {"matter": "M002", "applicant": applicant(id_no=BAD_ID_NUMBER)}]})
    assert_error(bad, 422, "invalid")
    assert "cases[1]" in bad.json()["error"]["message"]
    bad = api.http.post("/api/cases/batch", headers=manager, json={"cases": [
        {"matter": "M002", "applicant": applicant()}, {"matter": "M002"}]})
    assert_error(bad, 422, "invalid")
    assert "cases[1]" in bad.json()["error"]["message"]
    assert api.http.get("/api/cases", headers=clerk).json()["total"] == 3  # all or nothing
    r = api.http.post("/api/cases/batch", headers=manager, json={"cases": [
        {"matter": "M002", "applicant": applicant("李大爷")},
        {"matter": "M020", "applicant": applicant("赵奶奶", phone=None)}]})
    assert r.status_code == 201, r.text
    batch = r.json()
    assert [c["batch"] for c in batch["cases"]] == [batch["batch"]] * 2
    assert all(c["token"] for c in batch["cases"])
    numbers = [c["number"] for c in api.http.get("/api/cases", headers=clerk,
                                                 params={"limit": 200}).json()["cases"]]
    assert len(set(numbers)) == len(numbers) == 5
    assert sorted(numbers) == [f"BJ20261201-000{i}" for i in range(1, 6)]


def test_listing_filters_and_the_residents_view(live: LiveServer, clock: MovableClock, api: Api) -> None:
    clerk = api.user("clerk1")
    first = new_case(api, clerk, "M002")  # due 8 December
    other = new_case(api, clerk, "M020", applicant=applicant("张三", phone="13900001111"))
    act(api, clerk, other["id"], "suspend", {"missing": ["灾情证明"]})
    clock.set("2026-12-09 10:00")
    overdue = api.http.get("/api/cases", headers=clerk, params={"overdue": "true"}).json()
    assert [c["id"] for c in overdue["cases"]] == [first["id"]] and overdue["cases"][0]["overdue"]
    assert api.http.get("/api/cases", headers=clerk, params={"status": "suspended"}).json()["total"] == 1
    assert api.http.get("/api/cases", headers=clerk,
                        params={"status": "accepted,suspended"}).json()["total"] == 2
    assert api.http.get("/api/cases", headers=clerk,
                        params={"department": "civil-affairs"}).json()["cases"][0]["id"] == other["id"]
    assert api.http.get("/api/cases", headers=clerk, params={"q": "139****1111"}).json()["total"] == 1
    assert api.http.get("/api/cases", headers=clerk, params={"q": first["number"]}).json()["total"] == 1
    assert api.http.get("/api/cases", headers=clerk, params={"from": "2026-12-02"}).json()["total"] == 0
    page = api.http.get("/api/cases", headers=clerk, params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and [c["id"] for c in page["cases"]] == [first["id"]]
    assert_error(api.http.get("/api/cases", headers=clerk, params={"limit": 201}), 422, "invalid")
    assert_error(api.http.get("/api/cases", headers=clerk, params={"status": "lost"}), 422, "invalid")
    anon = httpx.Client(base_url=live.url)  # api.http carries the session cookie of its logins
    assert_error(anon.get("/api/cases"), 401, "unauthorized")
    listed = json.dumps(api.http.get("/api/cases", headers=clerk).json(), ensure_ascii=False)
    assert PHONE not in listed and ID_NUMBER not in listed and "13900001111" not in listed
    assert '"token"' not in listed and "track_url" not in listed

    cid, token = first["id"], first["token"]
    mine = anon.get(f"/api/cases/{cid}", params={"token": token})
    assert mine.status_code == 200 and mine.json()["number"] == first["number"]
    assert "token" not in mine.json() and mine.json()["applicant"]["phone"] == MASKED_PHONE
    assert_error(anon.get(f"/api/cases/{cid}", params={"token": "wrong"}), 403, "forbidden")
    assert_error(anon.get(f"/api/cases/{cid}", params={"token": other["token"]}), 403, "forbidden")
    assert_error(anon.get(f"/api/cases/{cid}"), 401, "unauthorized")
    assert_error(anon.get("/api/cases/99999", params={"token": token}), 404, "not_found")
    anon.close()


def test_case_events_carry_numbers_never_names(live: LiveServer, api: Api) -> None:
    clerk = api.user("clerk1")
    with connect(f"{live.ws_url}/ws/hall") as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "snapshot"
        cid = new_case(api, clerk, "M002", note="申请人说下午再来")["id"]
        act(api, clerk, cid, "process")
        act(api, clerk, cid, "suspend", {"missing": ["户口簿"], "note": "缺户口簿"})
        act(api, clerk, cid, "resume")
        act(api, clerk, cid, "complete", {"result": "approved"})
        act(api, clerk, cid, "deliver", {"method": "pickup"})
        other = new_case(api, clerk, "M002")["id"]
        act(api, clerk, other, "withdraw", {"note": "不办了"})
        raw = [ws.recv(timeout=5) for _ in range(8)]
    events = [json.loads(m) for m in raw]
    assert [e["type"] for e in events] == [
        "case.accepted", "case.processing", "case.suspended", "case.resumed", "case.completed",
        "case.delivered", "case.accepted", "case.withdrawn"]
    seqs = [e["seq"] for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert all(set(e["case"]) == {"id", "number", "status", "station"} for e in events)
    assert events[4]["case"]["status"] == "completed" and events[4]["pickup_window"] == 18
    text = "".join(raw)
    for secret in ("王秀英", PHONE, ID_NUMBER, "下午", "缺户口簿", "不办了", "户口簿"):
        assert secret not in text


def test_the_applicants_socket_follows_the_case(live: LiveServer, api: Api) -> None:
    clerk = api.user("clerk1")
    case = new_case(api, clerk, "M002")
    cid, token = case["id"], case["token"]
    assert_refused(f"{live.ws_url}/ws/cases/{cid}?token=wrong")
    assert_refused(f"{live.ws_url}/ws/cases/999999?token={token}")
    with connect(f"{live.ws_url}/ws/cases/{cid}?token={token}") as ws:
        first = json.loads(ws.recv(timeout=5))
        assert first["type"] == "case" and first["case"]["status"] == "accepted"
        assert first["case"]["applicant"]["phone"] == MASKED_PHONE
        new_case(api, clerk, "M001")  # another case's events do not disturb this one
        act(api, clerk, cid, "complete", {"result": "approved"})
        update = json.loads(ws.recv(timeout=5))
        assert update["type"] == "case" and update["case"]["status"] == "completed"
        assert update["case"]["pickup_window"] == 18


def test_residents_born_before_their_county_code_existed_or_with_retired_codes_get_a_case(
        api: Api) -> None:
    clerk = api.user("clerk1")
    for region, birth in (("510823", "19480305"), ("412723", "19600512"), ("510802", "19550808")):
        number = id_number(birth, "201", region)
        case = new_case(api, clerk, "M002", applicant=applicant(id_no=number))
        assert case["applicant"]["id_number"] == number[:6] + "********" + number[-4:]
        # Staff read it back in full from the stored case, masked in every answer.
        got = api.http.get(f"/api/cases/{case['id']}", headers=clerk).json()
        assert got["applicant"]["id_number"] == case["applicant"]["id_number"]
    lower_x = id_number("19491231", "002", "110105")
    assert lower_x.endswith("X")
    case = new_case(api, clerk, "M002", applicant=applicant(id_no=lower_x.lower()))
    assert case["applicant"]["id_number"].endswith("002X")
    r = api.http.post("/api/cases", headers=clerk, json={
        "matter": "M002", "applicant": applicant(id_no=id_number("20261202", "201"))})
    assert_error(r, 422, "invalid")
    assert "出生日期" in r.json()["error"]["message"]
