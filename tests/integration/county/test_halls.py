"""Many halls on one server: adding halls, /h/{code} prefixes, and nothing of one hall in another."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from tests.support.cases import applicant, hold_clock
from tests.support.http import assert_error
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer


@pytest.fixture
def county(any_db: str, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "var", any_db, session_hours=24 * 365).start()
    yield live
    live.stop()


def add_hall(api: Api, admin: dict[str, str], code: str, name: str, **extra: Any) -> httpx.Response:
    return api.http.post("/api/county/halls", headers=admin, json={"code": code, "name": name, **extra})


def hall_api(live: LiveServer, code: str) -> Api:
    return Api(f"{live.url}/h/{code}")


def kiosk_in(api: Api, admin: dict[str, str]) -> dict[str, str]:
    r = api.http.post("/api/admin/devices", headers=admin, json={"name": "kiosk", "kind": "kiosk"})
    assert r.status_code == 201, r.text
    return {"Authorization": "Bearer " + r.json()["token"]}


def test_a_county_admin_adds_halls_that_are_served_at_once(county: LiveServer) -> None:
    api = Api(county.url)
    admin = api.admin()
    r = add_hall(api, admin, "xiasi", "剑阁县下寺镇便民服务中心", short_name="下寺镇便民服务中心")
    assert r.status_code == 201, r.text
    assert r.json() == {"code": "xiasi", "name": "剑阁县下寺镇便民服务中心",
                        "short_name": "下寺镇便民服务中心", "url": f"{county.url}/h/xiasi"}
    assert_error(add_hall(api, admin, "xiasi", "again"), 409, "conflict")
    for bad in ("X", "a", "Xiasi", "xia si", "x" * 33):
        assert_error(add_hall(api, admin, bad, "bad"), 422, "invalid")
    assert_error(add_hall(api, admin, "kaifeng", "开封", copy_from="nowhere"), 422, "invalid")
    assert_error(add_hall(api, admin, "kaifeng", "开封", config={"hall": {"code": "kaifeng"}}), 422, "invalid")
    listed = api.http.get("/api/county/halls").json()
    assert [h["code"] for h in listed] == ["puan", "xiasi"]
    xiasi = hall_api(county, "xiasi")
    catalog = xiasi.http.get("/api/catalog").json()
    assert catalog["hall"]["code"] == "xiasi" and catalog["hall"]["name"] == "剑阁县下寺镇便民服务中心"
    assert len(catalog["windows"]) == 18  # copied from the default hall
    assert xiasi.http.get("/display").status_code == 200
    # An unknown hall is not found, for pages, the API and sockets alike.
    assert_error(api.http.get("/h/nowhere/api/catalog"), 404, "not_found")
    assert_error(api.http.get("/h/nowhere/display"), 404, "not_found")
    with pytest.raises(Exception):  # noqa: B017 - refused at the handshake
        connect(f"{county.ws_url}/h/nowhere/ws/hall").close()
    # A hall's own manager may not add halls; a county-wide admin may create a county-wide user.
    hall_admin = api.http.post("/api/admin/users", headers=admin, json={
        "username": "puan-admin", "password": "password-123", "role": "admin"})
    assert hall_admin.status_code == 201 and hall_admin.json()["hall"] == "puan"
    puan_admin = {"Authorization": "Bearer " + api.login("puan-admin", "password-123")}
    assert_error(add_hall(api, puan_admin, "baolun", "宝纶"), 403, "forbidden")
    assert_error(api.http.post("/api/admin/users", headers=puan_admin, json={
        "username": "boss", "password": "password-123", "role": "manager", "hall": "*"}), 403, "forbidden")
    boss = api.http.post("/api/admin/users", headers=admin, json={
        "username": "boss", "password": "password-123", "role": "manager", "hall": "*"})
    assert boss.status_code == 201 and boss.json()["hall"] == "*"
    assert_error(api.http.post("/api/admin/users", headers=admin, json={
        "username": "clerk-all", "password": "password-123", "role": "clerk", "hall": "*"}), 422, "invalid")
    api.close()
    xiasi.close()


def test_two_halls_share_nothing_but_code(county: LiveServer) -> None:
    hold_clock(county, "2026-12-01 10:00")
    api = Api(county.url)
    admin = api.admin()
    assert add_hall(api, admin, "xiasi", "下寺镇便民服务中心").status_code == 201
    puan, xiasi = Api(county.url), hall_api(county, "xiasi")
    kiosks = {"puan": kiosk_in(puan, admin), "xiasi": kiosk_in(xiasi, admin)}
    # Numbering: each hall starts its own.
    a = [puan.issue(kiosks["puan"], "invoice") for _ in range(2)]
    b = xiasi.issue(kiosks["xiasi"], "invoice")
    assert [t["number"] for t in a] == ["G001", "G002"] and b["number"] == "G001"
    assert b["track_url"].startswith(f"{county.url}/h/xiasi/m/t/{b['id']}?token=")
    assert a[0]["track_url"].startswith(f"{county.url}/m/t/")
    # Events and seq: each hall's own log.
    qa, qb = puan.http.get("/api/queue").json(), xiasi.http.get("/api/queue").json()
    assert qb["seq"] < qa["seq"]
    with connect(f"{county.ws_url}/h/xiasi/ws/hall?since=0") as ws:
        first = json.loads(ws.recv())
        assert first["type"] != "snapshot" and first["ticket"]["id"] == b["id"]
    # A ticket of one hall does not exist in the other.
    assert_error(puan.http.get(f"/api/tickets/{b['id']}", params={"token": b["token"]}), 404, "not_found")
    # Estimates: a window opened in puan serves puan's queue only.
    clerk = puan.http.post("/api/admin/users", headers=admin, json={
        "username": "li", "password": "password-123", "role": "clerk"})
    assert clerk.status_code == 201
    li = {"Authorization": "Bearer " + puan.login("li", "password-123")}
    assert puan.http.post("/api/windows/1/open", headers=li).status_code == 200
    b2 = xiasi.issue(kiosks["xiasi"], "invoice")
    assert b2["ahead"] == 1  # the one xiasi ticket before it, not puan's two
    assert xiasi.http.get("/api/queue").json()["windows"][0]["status"] == "closed"
    # Statistics: each hall counts its own.
    boss = puan.http.post("/api/admin/users", headers=admin, json={
        "username": "boss", "password": "password-123", "role": "manager", "hall": "*"})
    assert boss.status_code == 201
    manager = {"Authorization": "Bearer " + puan.login("boss", "password-123")}
    assert puan.http.get("/api/stats/summary", headers=manager).json()["issued"] == 2
    assert xiasi.http.get("/api/stats/summary", headers=manager).json()["issued"] == 2
    # Cases: accepted in one hall, unseen and unreachable in the other.
    case = xiasi.http.post("/api/cases", headers=manager, json={"matter": "M002", "applicant": applicant()})
    assert case.status_code == 201, case.text
    assert case.json()["track_url"].startswith(f"{county.url}/h/xiasi/m/c/")
    assert xiasi.http.get("/api/cases", headers=manager).json()["total"] == 1
    assert puan.http.get("/api/cases", headers=manager).json()["total"] == 0
    assert_error(puan.http.get(f"/api/cases/{case.json()['id']}", headers=manager), 404, "not_found")
    # Appointments and feedback, likewise.
    slots = xiasi.http.get("/api/appointments/slots", params={"service": "invoice", "date": "2026-12-02"}).json()
    booked = xiasi.http.post("/api/appointments", json={"service": "invoice", "start": slots[0]["start"],
                                                      "name": "王秀英", "phone": "13812341234"})
    assert booked.status_code == 201, booked.text
    assert booked.json()["manage_url"].startswith(f"{county.url}/h/xiasi/")
    assert len(xiasi.http.get("/api/appointments", headers=manager, params={"date": "2026-12-02"}).json()) == 1
    assert puan.http.get("/api/appointments", headers=manager, params={"date": "2026-12-02"}).json() == []
    report = xiasi.http.post("/api/feedback", json={"kind": "cannot_do", "description": "林权证办不了"})
    assert report.status_code == 201, report.text
    assert xiasi.http.get("/api/feedback", headers=manager).json()["total"] == 1
    assert puan.http.get("/api/feedback", headers=manager).json()["total"] == 0
    for client in (api, puan, xiasi):
        client.close()


def test_a_user_or_device_of_one_hall_is_refused_in_another(county: LiveServer) -> None:
    api = Api(county.url)
    admin = api.admin()
    assert add_hall(api, admin, "xiasi", "下寺镇便民服务中心").status_code == 201
    xiasi = hall_api(county, "xiasi")
    r = xiasi.http.post("/api/admin/users", headers=admin, json={
        "username": "wang", "password": "password-123", "role": "clerk"})
    assert r.status_code == 201 and r.json()["hall"] == "xiasi"
    wang = {"Authorization": "Bearer " + api.login("wang", "password-123")}  # logs in anywhere
    assert xiasi.http.post("/api/windows/3/open", headers=wang).status_code == 200
    assert_error(api.http.post("/api/windows/3/open", headers=wang), 403, "forbidden")
    assert_error(api.http.get("/api/windows", headers=wang), 403, "forbidden")
    puan_kiosk = kiosk_in(api, admin)
    assert_error(xiasi.http.post("/api/tickets", headers=puan_kiosk, json={"service": "invoice", "channel": "kiosk"}),
                 403, "forbidden")
    # Public routes stay public with another hall's login attached (a clerk's browser cookie).
    assert xiasi.http.get("/api/catalog", headers=puan_kiosk).status_code == 200
    # The admin of one hall manages that hall's users only.
    assert api.http.post("/api/admin/users", headers=admin, json={
        "username": "puan-admin", "password": "password-123", "role": "admin"}).status_code == 201
    puan_admin = {"Authorization": "Bearer " + api.login("puan-admin", "password-123")}
    assert_error(api.http.post("/api/admin/users/wang/disable", headers=puan_admin), 404, "not_found")
    assert_error(xiasi.http.post("/api/admin/users/wang/disable", headers=puan_admin), 403, "forbidden")
    assert [u["username"] for u in xiasi.http.get("/api/admin/users", headers=admin).json()] == ["admin", "wang"]
    api.close()
    xiasi.close()


def test_the_first_admin_is_county_wide(county: LiveServer) -> None:
    api = Api(county.url)
    r = api.http.post("/api/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert r.status_code == 200 and r.json()["user"]["hall"] == "*"
    api.close()
