"""Logins are cached per token, and every way of ending one is refused on the very next request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from queue_server.auth.cache import AuthCache
from queue_server.auth.models import DeviceCreate
from queue_server.auth.service import add_device, raise_epoch
from queue_server.core.clock import Clock
from tests.support.cli import hall_cmd, live_env
from tests.support.inprocess import NOON, database
from tests.support.live import Api, LiveServer

# A long cache, so a cached login outlives every revocation below.
LONG_CACHE = {"auth_cache_seconds": 3600}


@contextmanager
def statements(engine: object) -> Iterator[list[str]]:
    """Collect the SQL an engine runs while the generator is open."""
    seen: list[str] = []

    def note(_c: object, _cur: object, sql: str, *_: object) -> None:
        seen.append(sql)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_cached_login_costs_one_read_of_the_epoch_and_a_raised_epoch_looks_it_up_again(tmp_path: Path) -> None:
    with database(tmp_path, "") as db:
        (device, token), _ = db.run_write(
            lambda uow: add_device(uow, DeviceCreate(name="k", kind="kiosk"), NOON))
        cache = AuthCache(db.engine, Clock(lambda: NOON), seconds=30)
        with statements(db.engine) as seen:
            first = cache.principal(token)
        assert first is not None and first.device_id == device.id
        assert any("device" in s.lower() for s in seen), seen
        with statements(db.engine) as again:
            assert cache.principal(token) == first
        # Only the epoch is read, on the cache's own driver connection: no ORM lookup at all.
        assert again == []
        db.run_write(lambda uow: raise_epoch(uow.session), lock=False)
        with statements(db.engine) as after_revocation:
            assert cache.principal(token) == first
        assert any("device" in s.lower() for s in after_revocation), after_revocation
        # With the cache off, every request looks the token up in full.
        off = AuthCache(db.engine, Clock(lambda: NOON), seconds=0)
        with statements(db.engine) as full:
            off.principal(token)
            off.principal(token)
        assert sum("device" in s.lower() for s in full) == 2, full


def test_on_sqlite_a_cached_login_is_answered_without_a_lookup_and_a_raised_epoch_ends_that(
        tmp_path: Path) -> None:
    with database(tmp_path, "") as db:
        (device, token), _ = db.run_write(
            lambda uow: add_device(uow, DeviceCreate(name="k", kind="kiosk"), NOON))
        cache = AuthCache(db.engine, Clock(lambda: NOON), seconds=30)
        assert cache.cached(token) is None  # never looked up: the caller looks it up in a thread
        looked_up = cache.principal(token)
        assert looked_up is not None and looked_up.device_id == device.id
        assert cache.cached(token) == looked_up
        db.run_write(lambda uow: raise_epoch(uow.session), lock=False)
        assert cache.cached(token) is None
        assert cache.principal(token) == looked_up  # looked up again, cached at the new epoch
        assert cache.cached(token) == looked_up
        expired = AuthCache(db.engine, Clock(lambda: NOON), seconds=0)
        expired.principal(token)
        assert expired.cached(token) is None


def warm(api: Api, headers: dict[str, str]) -> None:
    """Use a token twice, so that it is in the cache."""
    for _ in range(2):
        assert api.http.get("/api/auth/me", headers=headers).status_code == 200


@pytest.mark.server(settings=LONG_CACHE)
def test_logout_disable_password_and_device_revocation_are_refused_at_once(api: Api) -> None:
    admin = api.admin()
    warm(api, admin)
    li, wang, zhao = (api.user(name) for name in ("li", "wang", "zhao"))
    kiosk, _ = api.device("kiosk")
    for headers in (li, wang, zhao, kiosk):
        warm(api, headers)

    assert api.http.post("/api/auth/logout", headers=li).status_code == 204
    assert api.http.get("/api/auth/me", headers=li).status_code == 401
    assert api.http.post("/api/admin/users/wang/disable", headers=admin).status_code == 200
    assert api.http.get("/api/auth/me", headers=wang).status_code == 401
    r = api.http.post("/api/admin/users/zhao/password", headers=admin, json={"password": "new-password-456"})
    assert r.status_code == 200
    assert api.http.get("/api/auth/me", headers=zhao).status_code == 401
    device_id = next(d["id"] for d in api.http.get("/api/admin/devices", headers=admin).json()
                     if d["kind"] == "kiosk")
    assert api.http.delete(f"/api/admin/devices/{device_id}", headers=admin).status_code == 204
    r = api.http.post("/api/tickets", headers=kiosk, json={"service": "invoice", "channel": "kiosk"})
    assert r.status_code == 401, r.text
    # Nobody else was logged out by the revocations.
    assert api.http.get("/api/auth/me", headers=admin).status_code == 200


@pytest.mark.server(settings=LONG_CACHE)
def test_a_session_that_expires_while_cached_is_refused(live: LiveServer, api: Api) -> None:
    li = api.user("li")
    warm(api, li)
    now = live.runtime.clock()
    live.runtime.clock = lambda: now + timedelta(hours=live.settings.session_hours, minutes=1)
    assert api.http.get("/api/auth/me", headers=li).status_code == 401


@pytest.mark.server(settings=LONG_CACHE)
def test_the_command_line_revokes_a_login_another_process_has_cached(live: LiveServer, api: Api) -> None:
    li = api.user("li")
    warm(api, li)
    done = hall_cmd("users", "disable", "li", env=live_env(live))
    assert done.returncode == 0, done.stderr
    assert api.http.get("/api/auth/me", headers=li).status_code == 401


def test_a_revocation_through_one_server_is_refused_by_another_on_postgresql(
        pg_url: str, serve: Callable[..., LiveServer]) -> None:
    first = serve(var="a", database_url=pg_url, settings=LONG_CACHE)
    second = serve(var="b", database_url=pg_url, settings=LONG_CACHE)
    a, b = Api(first.url), Api(second.url)
    admin = a.admin()
    kiosk, _ = a.device("kiosk")
    li = a.user("li")
    for api in (a, b):
        warm(api, li)
        warm(api, kiosk)
    assert a.http.post("/api/admin/users/li/disable", headers=admin).status_code == 200
    assert b.http.get("/api/auth/me", headers=li).status_code == 401
    device_id = a.http.get("/api/admin/devices", headers=admin).json()[0]["id"]
    assert a.http.delete(f"/api/admin/devices/{device_id}", headers=admin).status_code == 204
    r = b.http.post("/api/tickets", headers=kiosk, json={"service": "invoice", "channel": "kiosk"})
    assert r.status_code == 401, r.text
    a.close()
    b.close()
