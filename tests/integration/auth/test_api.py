"""Login, sessions, users and devices over real HTTP against a live server."""

from __future__ import annotations

import httpx
import pytest

from tests.support.http import (
    PASSWORD,
    add_device,
    add_user,
    assert_error,
    bearer,
    kiosk,
    login,
    staff,
)
from tests.support.live import ADMIN_PASSWORD, Api, LiveServer
from tests.support.phones import hall_pass


def test_login_returns_token_and_user_and_sets_httponly_samesite_strict_cookie(
        live: LiveServer) -> None:
    r = login(live, "admin", ADMIN_PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body["token"], str) and len(body["token"]) >= 16
    assert body["user"]["username"] == "admin"
    assert body["user"]["role"] == "admin"
    assert "display_name" in body["user"]
    cookies = r.headers.get_list("set-cookie")
    session = [c for c in cookies if body["token"] in c]
    assert session, cookies
    attrs = [a.strip().lower() for a in session[0].split(";")]
    assert "httponly" in attrs
    assert "samesite=strict" in attrs


def test_wrong_password_and_unknown_user_are_401_unauthorized(live: LiveServer) -> None:
    assert_error(login(live, "admin", "not-the-password"), 401, "unauthorized")
    assert_error(login(live, "nobody", "whatever-123"), 401, "unauthorized")


def test_session_cookie_alone_authorises_staff_endpoints(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url) as browser:
        r = browser.post("/api/auth/login",
                         json={"username": "admin", "password": ADMIN_PASSWORD})
        assert r.status_code == 200
        assert browser.cookies  # the session cookie was kept
        users = browser.get("/api/admin/users")
        assert users.status_code == 200, users.text
        assert any(u["username"] == "admin" for u in users.json())
        assert browser.get("/api/windows").status_code == 200
    with httpx.Client(base_url=live.url) as stranger:
        assert_error(stranger.get("/api/admin/users"), 401, "unauthorized")
        assert_error(stranger.get("/api/windows"), 401, "unauthorized")


def test_logout_answers_204_and_the_bearer_token_stops_working(live: LiveServer) -> None:
    token = login(live, "admin", ADMIN_PASSWORD).json()["token"]
    with httpx.Client(base_url=live.url) as client:
        assert client.get("/api/admin/users", headers=bearer(token)).status_code == 200
        r = client.post("/api/auth/logout", headers=bearer(token))
        assert r.status_code == 204
        assert r.content == b""
        assert_error(client.get("/api/admin/users", headers=bearer(token)), 401, "unauthorized")
        assert_error(client.get("/api/windows", headers=bearer(token)), 401, "unauthorized")


def test_logout_by_cookie_ends_the_cookie_session(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url) as browser:
        token = browser.post("/api/auth/login", json={
            "username": "admin", "password": ADMIN_PASSWORD}).json()["token"]
        assert browser.post("/api/auth/logout").status_code == 204
        assert_error(browser.get("/api/admin/users"), 401, "unauthorized")
        assert_error(browser.get("/api/admin/users", headers=bearer(token)), 401, "unauthorized")


def test_admin_adds_and_lists_users_and_lists_never_show_password_hashes(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    r = add_user(api, admin, "li.clerk", "clerk", "李办事员")
    assert r.status_code == 201, r.text
    assert r.json() == {"username": "li.clerk", "role": "clerk", "display_name": "李办事员", "hall": "puan"}
    assert add_user(api, admin, "wang.mgr", "manager").status_code == 201
    listing = api.http.get("/api/admin/users", headers=admin)
    assert listing.status_code == 200
    users = {u["username"]: u for u in listing.json()}
    assert {"admin", "li.clerk", "wang.mgr"} <= set(users)
    assert users["wang.mgr"]["role"] == "manager"
    assert "password" not in listing.text and "argon2" not in listing.text
    # The new user can log in.
    assert login(live, "li.clerk", PASSWORD).status_code == 200


def test_users_endpoints_are_admin_only(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    clerk = staff(live, api, admin, "clerk1")
    manager = staff(live, api, admin, "manager1", "manager")
    body = {"username": "sneaky", "password": PASSWORD, "role": "admin"}
    for who in (clerk, manager):
        assert_error(api.http.get("/api/admin/users", headers=who), 403, "forbidden")
        assert_error(api.http.post("/api/admin/users", headers=who, json=body), 403, "forbidden")
    with httpx.Client(base_url=live.url) as anon:
        assert_error(anon.get("/api/admin/users"), 401, "unauthorized")
        assert_error(anon.post("/api/admin/users", json=body), 401, "unauthorized")
    names = [u["username"] for u in api.http.get("/api/admin/users", headers=admin).json()]
    assert "sneaky" not in names


def test_duplicate_username_is_409_conflict_and_changes_nothing(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    assert add_user(api, admin, "zhang", "clerk", "张一").status_code == 201
    before = api.http.get("/api/admin/users", headers=admin).json()
    r = api.http.post("/api/admin/users", headers=admin, json={
        "username": "zhang", "password": "another-pass-9", "role": "manager",
        "display_name": "张二"})
    assert_error(r, 409, "conflict")
    assert api.http.get("/api/admin/users", headers=admin).json() == before
    # The original password still works and the role did not change.
    r = login(live, "zhang", PASSWORD)
    assert r.status_code == 200
    assert r.json()["user"]["role"] == "clerk"
    assert_error(login(live, "zhang", "another-pass-9"), 401, "unauthorized")


def test_short_password_and_unknown_role_are_422_invalid_and_create_nobody(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    before = api.http.get("/api/admin/users", headers=admin).json()
    r = api.http.post("/api/admin/users", headers=admin, json={
        "username": "shorty", "password": "1234567", "role": "clerk"})
    assert_error(r, 422, "invalid")
    r = api.http.post("/api/admin/users", headers=admin, json={
        "username": "boss", "password": PASSWORD, "role": "emperor"})
    assert_error(r, 422, "invalid")
    assert api.http.get("/api/admin/users", headers=admin).json() == before
    assert_error(login(live, "shorty", "1234567"), 401, "unauthorized")


def test_admin_adds_lists_and_revokes_devices_and_a_revoked_token_stops_working(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    r = add_device(api, admin, "kiosk", name="大厅取号机")
    assert r.status_code == 201, r.text
    dev = r.json()
    assert isinstance(dev["id"], int) and isinstance(dev["token"], str) and dev["token"]
    kiosk = bearer(dev["token"])
    listing = api.http.get("/api/admin/devices", headers=admin)
    assert listing.status_code == 200
    row = next(d for d in listing.json() if d["id"] == dev["id"])
    assert row["name"] == "大厅取号机" and row["kind"] == "kiosk"
    assert dev["token"] not in listing.text
    ok = api.http.post("/api/tickets", headers=kiosk,
                       json={"service": "pension-insurance", "channel": "kiosk"})
    assert ok.status_code == 201

    r = api.http.delete(f"/api/admin/devices/{dev['id']}", headers=admin)
    assert r.status_code == 204
    assert r.content == b""
    refused = api.http.post("/api/tickets", headers=kiosk,
                            json={"service": "pension-insurance", "channel": "kiosk"})
    assert_error(refused, 401, "unauthorized")
    assert_error(api.http.post("/api/devices/status", headers=kiosk, json={"printer": "ok"}),
                 401, "unauthorized")
    ids = [d["id"] for d in api.http.get("/api/admin/devices", headers=admin).json()]
    assert dev["id"] not in ids
    assert_error(api.http.delete(f"/api/admin/devices/{dev['id']}", headers=admin),
                 404, "not_found")
    assert_error(api.http.delete("/api/admin/devices/987654", headers=admin), 404, "not_found")


def test_each_device_kind_registers_and_a_pad_must_name_a_valid_window(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    assert add_device(api, admin, "display").status_code == 201
    pad = add_device(api, admin, "pad", window=3)
    assert pad.status_code == 201
    before = api.http.get("/api/admin/devices", headers=admin).json()
    assert any(d["id"] == pad.json()["id"] and d["window"] == 3 for d in before)
    assert_error(add_device(api, admin, "pad"), 422, "invalid")
    assert_error(add_device(api, admin, "pad", window=19), 422, "invalid")
    assert_error(add_device(api, admin, "pad", window=0), 422, "invalid")
    assert_error(add_device(api, admin, "toaster"), 422, "invalid")
    assert api.http.get("/api/admin/devices", headers=admin).json() == before


def test_device_administration_is_admin_only(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    manager = staff(live, api, admin, "mgr", "manager")
    dev_id = add_device(api, admin, "kiosk").json()["id"]
    assert_error(api.http.get("/api/admin/devices", headers=manager), 403, "forbidden")
    assert_error(api.http.post("/api/admin/devices", headers=manager,
                               json={"name": "x", "kind": "kiosk"}), 403, "forbidden")
    assert_error(api.http.delete(f"/api/admin/devices/{dev_id}", headers=manager),
                 403, "forbidden")
    with httpx.Client(base_url=live.url) as anon:
        assert_error(anon.get("/api/admin/devices"), 401, "unauthorized")
        assert_error(anon.delete(f"/api/admin/devices/{dev_id}"), 401, "unauthorized")
    assert any(d["id"] == dev_id for d in api.http.get("/api/admin/devices",
                                                        headers=admin).json())


def test_devices_listing_is_for_managers_and_admins(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    manager = staff(live, api, admin, "mgr", "manager")
    clerk = staff(live, api, admin, "clk")
    kiosk_token = add_device(api, admin, "kiosk", name="kiosk-1").json()["token"]
    add_device(api, admin, "pad", window=7, name="pad-7")
    for who in (manager, admin):
        r = api.http.get("/api/devices", headers=who)
        assert r.status_code == 200, r.text
        rows = r.json()
        assert {d["name"] for d in rows} >= {"kiosk-1", "pad-7"}
        for d in rows:
            assert {"id", "name", "kind", "window", "last_seen", "status"} <= set(d)
        assert next(d for d in rows if d["name"] == "pad-7")["window"] == 7
    assert_error(api.http.get("/api/devices", headers=clerk), 403, "forbidden")
    assert_error(api.http.get("/api/devices", headers=bearer(kiosk_token)), 403, "forbidden")
    with httpx.Client(base_url=live.url) as anon:
        assert_error(anon.get("/api/devices"), 401, "unauthorized")


def test_a_device_reports_its_printer_status_and_managers_see_it(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    manager = staff(live, api, admin, "mgr", "manager")
    dev = add_device(api, admin, "kiosk", name="kiosk-east").json()
    r = api.http.post("/api/devices/status", headers=bearer(dev["token"]),
                      json={"printer": "paper_low", "detail": "纸快用完了"})
    assert r.status_code == 204, r.text
    row = next(d for d in api.http.get("/api/devices", headers=manager).json()
               if d["id"] == dev["id"])
    assert row["status"] == "paper_low"
    assert row["last_seen"] is not None and "+08:00" in row["last_seen"]

    assert_error(api.http.post("/api/devices/status", headers=bearer(dev["token"]),
                               json={"printer": "on_fire"}), 422, "invalid")
    assert_error(api.http.post("/api/devices/status", headers=manager, json={"printer": "ok"}),
                 403, "forbidden")
    with httpx.Client(base_url=live.url) as anon:
        assert_error(anon.post("/api/devices/status", json={"printer": "ok"}),
                     401, "unauthorized")
    row = next(d for d in api.http.get("/api/devices", headers=manager).json()
               if d["id"] == dev["id"])
    assert row["status"] == "paper_low"


def test_garbage_bearer_tokens_are_401_not_errors(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url) as client:
        for token in ("nonsense", "x" * 500, "bearer bearer", "é"):
            r = client.get("/api/windows", headers={"Authorization": "Bearer " + token}
                           if token.isascii() else {"Authorization": "Bearer abc"})
            assert_error(r, 401, "unauthorized")


def test_disabling_a_user_or_setting_a_password_ends_their_sessions(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    r = api.http.post("/api/admin/users/li/password", headers=admin,
                      json={"password": "new-password-456"})
    assert r.status_code == 200, r.text
    assert_error(api.http.get("/api/auth/me", headers=li), 401, "unauthorized")
    assert login(live, "li", PASSWORD).status_code == 401
    li = bearer(login(live, "li", "new-password-456").json()["token"])
    assert api.http.post("/api/admin/users/li/disable", headers=admin).status_code == 200
    assert_error(api.http.get("/api/auth/me", headers=li), 401, "unauthorized")
    assert_error(login(live, "li", "new-password-456"), 401, "unauthorized")
    assert_error(api.http.post("/api/admin/users/nobody/disable", headers=admin), 404, "not_found")


@pytest.mark.server(settings={"cookie_secure": True})
def test_cookies_are_secure_behind_tls(live: LiveServer) -> None:
    r = httpx.post(live.url + "/api/auth/login",
                   json={"username": "admin", "password": ADMIN_PASSWORD})
    assert "secure" in r.headers["set-cookie"].lower()
    m = httpx.get(live.url + "/m", params={"pass": hall_pass(live)})
    assert "secure" in m.headers["set-cookie"].lower()


def test_the_kiosks_printer_detail_reaches_the_manager(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    detail = "打印机缺纸 " * 100  # kiosk/client.py sends at most 500 characters of it
    assert len(detail[:500]) == 500
    r = api.http.post("/api/devices/status", headers=k,
                      json={"printer": "paper_out", "detail": detail[:500]})
    assert r.status_code == 204, r.text
    shown = api.http.get("/api/devices", headers=admin).json()
    assert any(d["detail"] == detail[:500] for d in shown)
