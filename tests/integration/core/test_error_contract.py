"""The error contract: shapes, statuses, every code, refusals that change nothing, and fuzzing."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.support.http import (
    add_device,
    add_user,
    assert_error,
    assert_refused,
    bearer,
    hall_state,
    issue,
    kiosk,
    login,
    staff,
)
from tests.support.live import (
    ADMIN_PASSWORD,
    Api,
    LiveServer,
)

CONTRACT_CODES = {
    "invalid", "unauthorized", "forbidden", "not_found", "method_not_allowed", "conflict",
    "window_busy", "window_closed", "no_current_ticket", "invalid_state", "ticket_not_waiting",
    "ticket_not_done", "already_evaluated", "pass_required", "rate_limited",
}
HUGE = 2**64

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def test_unknown_routes_get_404_with_the_json_error_shape(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url) as client:
        for method, path in (("GET", "/api/nope"), ("POST", "/api/nope"), ("GET", "/nope"),
                             ("DELETE", "/api/tickets/1/nope"), ("GET", "/api/windows/1/x"),
                             ("PUT", "/totally/unknown/route")):
            assert_error(client.request(method, path), 404, "not_found")


def test_wrong_methods_get_405_with_the_json_error_shape(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url) as client:
        for method, path in (("DELETE", "/api/catalog"), ("GET", "/api/tickets"),
                             ("PUT", "/api/windows/1/open"), ("PATCH", "/api/admin/users"),
                             ("GET", "/api/auth/login"), ("POST", "/api/queue"),
                             ("DELETE", "/api/windows")):
            assert_error(client.request(method, path), 405, "method_not_allowed")


def test_malformed_requests_get_invalid_and_change_nothing(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    k = kiosk(api, admin)
    issue(api, k, "invoice")
    api.http.post("/api/windows/14/open", headers=admin)
    before = hall_state(api, admin)
    h = {**k, "Content-Type": "application/json"}
    for raw in (b"{bad json", b"", b"[1, 2, 3]", b'"string"', b"null", b'{"service": 1}',
                b'{"service": "invoice", "channel": "kiosk", "extra": 1}',
                b'{"service": "invoice"}', "\xff\xfe".encode("latin-1")):
        r = api.http.post("/api/tickets", headers=h, content=raw)
        assert r.status_code in (400, 422), (raw, r.text)
        assert_error(r, r.status_code, "invalid")
    for path, body in (("/api/windows/14/finish", {"outcome": 5}),
                       ("/api/windows/14/call", {}),
                       ("/api/windows/14/pause", {"reason": "x" * 1000}),
                       ("/api/auth/login", {"username": "admin"}),
                       ("/api/admin/devices", {"name": "", "kind": "kiosk"})):
        r = api.http.post(path, headers=admin, json=body)
        assert r.status_code in (400, 422), (path, r.text)
        assert_error(r, r.status_code, "invalid")
    for path in ("/api/tickets/abc", "/api/windows/abc/queue"):
        r = api.http.get(path, headers=admin)
        assert r.status_code in (404, 422), r.text
        assert_error(r, r.status_code, "invalid" if r.status_code == 422 else "not_found")
    assert hall_state(api, admin) == before


def test_ids_beyond_the_database_integer_range_are_refused_not_500(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    api.http.post("/api/windows/1/open", headers=admin)
    checks: list[tuple[str, str, Any]] = [
        ("GET", f"/api/tickets/{HUGE}?token=x", None),
        ("GET", f"/api/tickets/{HUGE}", None),
        ("POST", f"/api/tickets/{HUGE}/cancel?token=x", None),
        ("POST", f"/api/tickets/{HUGE}/evaluation", {"token": "x", "grade": 3}),
        ("DELETE", f"/api/admin/devices/{HUGE}", None),
        ("POST", "/api/windows/1/call", {"ticket": HUGE}),
        ("POST", f"/api/windows/{HUGE}/open", None),
    ]
    problems = []
    for method, path, body in checks:
        with httpx.Client(base_url=live.url) as client:
            r = client.request(method, path, headers=admin, json=body)
        if r.status_code not in (404, 422):
            problems.append(f"{method} {path} {body} -> {r.status_code} {r.text[:80]}")
    assert not problems, "\n".join(problems)


def test_non_ascii_ticket_tokens_are_403_not_500(live: LiveServer, api: Api) -> None:
    t = issue(api, kiosk(api, api.admin()), "invoice")
    problems = []
    for method, path, params, body in (
            ("GET", f"/api/tickets/{t['id']}", {"token": "令牌"}, None),
            ("POST", f"/api/tickets/{t['id']}/cancel", {"token": "é"}, None),
            ("POST", f"/api/tickets/{t['id']}/evaluation", None, {"token": "令牌", "grade": 3})):
        with httpx.Client(base_url=live.url) as phone:
            try:
                r = phone.request(method, path, params=params, json=body)
            except httpx.HTTPError as exc:
                problems.append(f"{method} {path} -> {exc!r}")
                continue
            if r.status_code != 403:
                problems.append(f"{method} {path} -> {r.status_code} {r.text[:80]}")
    try:
        assert_refused(f"{live.ws_url}/ws/tickets/{t['id']}?token=%E4%BB%A4%E7%89%8C")
    except Exception as exc:  # an HTTP 500 at the handshake, say
        problems.append(f"WS /ws/tickets/{t['id']} -> {exc!r}")
    assert not problems, "\n".join(problems)
    assert api.http.get(f"/api/tickets/{t['id']}", params={"token": t["token"]}).json()[
        "status"] == "waiting"


def test_every_error_code_in_the_contract_occurs_with_its_status_and_changes_nothing(
        live: LiveServer, api: Api) -> None:
    admin = api.admin()
    li = staff(live, api, admin, "li")
    wang = staff(live, api, admin, "wang")
    k = kiosk(api, admin)
    pad = bearer(add_device(api, admin, "pad", window=2).json()["token"])
    t_done = issue(api, k, "invoice")
    api.http.post("/api/windows/1/open", headers=li)
    api.http.post("/api/windows/1/call-next", headers=li)
    api.http.post("/api/windows/1/finish", headers=li)
    api.http.post(f"/api/tickets/{t_done['id']}/evaluation",
                  json={"token": t_done["token"], "grade": 5})
    t_wait = issue(api, k, "invoice")
    seen: dict[str, set[int]] = {}

    def expect(r: httpx.Response, status: int, code: str) -> None:
        assert_error(r, status, code)
        seen.setdefault(code, set()).add(status)

    p = api.http.post
    before = hall_state(api, admin)
    expect(p("/api/tickets", headers=k, json={"service": "x", "channel": "kiosk"}), 422,
           "invalid")
    with httpx.Client(base_url=live.url) as anon:
        expect(anon.post("/api/windows/1/open"), 401, "unauthorized")
        expect(anon.post("/api/tickets", json={"service": "invoice", "channel": "mobile"}), 403,
               "pass_required")
        expect(anon.get("/api/nope"), 404, "not_found")
        expect(anon.delete("/api/catalog"), 405, "method_not_allowed")
    expect(p("/api/windows/1/pause", headers=wang), 403, "forbidden")
    expect(p("/api/windows/2/open", headers=li), 409, "conflict")
    expect(p("/api/windows/1/recall", headers=li), 409, "no_current_ticket")
    expect(p("/api/windows/3/call-next", headers=admin), 409, "window_closed")
    expect(p(f"/api/tickets/{t_done['id']}/cancel", params={"token": t_done["token"]}), 409,
           "ticket_not_waiting")
    expect(p(f"/api/tickets/{t_wait['id']}/evaluation",
             json={"token": t_wait["token"], "grade": 4}), 409, "ticket_not_done")
    expect(p(f"/api/tickets/{t_done['id']}/evaluation",
             json={"token": t_done["token"], "grade": 4}), 409, "already_evaluated")
    expect(p("/api/windows/2/evaluation", headers=pad, json={"grade": 3}), 409,
           "ticket_not_done")
    assert hall_state(api, admin) == before

    api.http.post("/api/windows/1/call-next", headers=li)
    api.http.post("/api/windows/1/start", headers=li)
    before = hall_state(api, admin)
    expect(p("/api/windows/1/call-next", headers=li), 409, "window_busy")
    expect(p("/api/windows/1/close", headers=li), 409, "window_busy")
    expect(p("/api/windows/1/no-show", headers=li), 409, "invalid_state")
    assert hall_state(api, admin) == before

    assert add_user(api, admin, "victim").status_code == 201
    for _ in range(10):
        expect(login(live, "victim", "bad-password"), 401, "unauthorized")
    expect(login(live, "victim", "bad-password"), 429, "rate_limited")
    assert hall_state(api, admin) == before

    assert set(seen) == CONTRACT_CODES
    assert seen["invalid"] <= {400, 422}


def test_fuzzing_every_operation_from_the_openapi_schema_never_gets_a_5xx(deployment_url: str) -> None:
    api = Api(deployment_url)
    token = api.login("admin", ADMIN_PASSWORD)
    kiosk(api, bearer(token))
    issue(api, kiosk(api, bearer(token)), "invoice")
    schema = schemathesis.openapi.from_url(deployment_url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: op.path == "/api/auth/logout")  # logging out comes last
    expected = {(op.method.upper(), op.path) for op in operations}
    assert ("POST", "/api/tickets") in expected and len(expected) >= 30
    exercised: set[tuple[str, str]] = set()
    failures: list[str] = []

    def fuzz(op: Any) -> None:
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck),
                  phases=[Phase.explicit, Phase.generate])
        @given(case=op.as_strategy())
        def run(case: Any) -> None:
            response = case.call(base_url=deployment_url, headers={"Authorization": "Bearer " + token},
                                 timeout=30)
            exercised.add((op.method.upper(), op.path))
            if response.status_code >= 500:
                failures.append(f"{op.method.upper()} {op.path}: {response.status_code} "
                                f"{response.request.url} body={response.request.body!r:.200}")

        run()

    for op in operations:
        fuzz(op)
    assert exercised == expected
    assert httpx.get(deployment_url + "/healthz").status_code == 200
    assert not failures, "\n".join(sorted(set(failures))[:40])


def test_random_json_bodies_on_every_write_operation_never_get_a_5xx(deployment_url: str) -> None:
    api = Api(deployment_url)
    admin = api.admin()
    issue(api, kiosk(api, admin), "invoice")
    spec = httpx.get(deployment_url + "/openapi.json").json()
    writes = [(m.upper(), re.sub(r"\{[^}]+\}", "1", path))
              for path, ops in spec["paths"].items() for m in ops
              if m in ("post", "put", "patch", "delete") and not path.endswith("/logout")]
    assert len(writes) >= 20
    failures: list[str] = []
    with httpx.Client(base_url=deployment_url, headers=admin, timeout=30) as client:
        def fuzz(method: str, path: str) -> None:
            @settings(max_examples=15, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(body=json_values)
            def run(body: Any) -> None:
                r = client.request(method, path, json=body)
                if r.status_code >= 500:
                    failures.append(f"{method} {path} {body!r:.200} -> {r.status_code}")

            run()

        for method, path in writes:
            fuzz(method, path)
    assert httpx.get(deployment_url + "/healthz").status_code == 200
    assert not failures, "\n".join(failures[:40])


@pytest.mark.server(db="both")
def test_nul_characters_anywhere_in_a_request_are_422_not_500(live: LiveServer) -> None:
    with httpx.Client(base_url=live.url) as http:
        login = http.post("/api/auth/login", content=b'{"username": "a\\u0000b", "password": "x"}',
                          headers={"content-type": "application/json"})
        assert_error(login, 422, "invalid")
        admin = {"Authorization": "Bearer " + Api(live.url).login("admin", ADMIN_PASSWORD)}
        assert_error(http.get("/api/cases?q=%00", headers=admin), 422, "invalid")
        assert_error(http.get("/api/guide?q=a%00b"), 422, "invalid")
        assert http.post("/api/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
                         ).status_code == 200  # the server is fine afterwards


@pytest.mark.server(db="postgres")
def test_out_of_range_integers_are_422_on_postgresql(live: LiveServer, api: Api) -> None:
    admin = api.admin()
    api.http.post("/api/windows/5/open", headers=admin)
    with httpx.Client(base_url=live.url, headers=admin) as client:
        assert_error(client.post("/api/windows/5/call", json={"ticket": 10**12}), 422,
                     "invalid")
        r = client.get(f"/api/tickets/{2**40}")
        assert r.status_code in (404, 422), r.text
        assert client.get("/healthz").status_code == 200  # the connection was kept
