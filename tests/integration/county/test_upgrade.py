"""Upgrading a single-hall database makes it the county's default hall, with every ticket, case and user kept.

The databases were made by the last single-hall release's own server (tests/fixtures/upgrade/make.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.live import Api, LiveServer, pg_create_database, pg_drop_database

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "upgrade"


@pytest.fixture(params=["sqlite", "postgres"])
def release_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield a copy of the release's database, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        (tmp_path / "var").mkdir()
        shutil.copy(FIXTURES / "hall.db", tmp_path / "var" / "hall.db")
        yield f"sqlite:///{tmp_path / 'var' / 'hall.db'}"
        return
    url = pg_create_database()
    name = url.rsplit("/", 1)[1]
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres", "-d", name,
                    "-f", str(FIXTURES / "hall.sql")], check=True, capture_output=True,
                   env={**os.environ, "PGPASSWORD": "postgres"})
    yield url
    pg_drop_database(url)


def _count(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def test_a_single_hall_database_becomes_the_default_hall_and_keeps_everything(release_db: str,
                                                                              tmp_path: Path) -> None:
    before = {t: _count(release_db, f"SELECT count(*) FROM {t}")[0][0]
              for t in ("ticket", "cases", "staff_user", "feedback_item", "event", "evaluation", "device")}
    assert before["ticket"] == 4 and before["cases"] == 1 and before["staff_user"] == 4
    assert _count(release_db, "SELECT version_num FROM alembic_version") == [("0007",)]
    live = LiveServer(tmp_path / "var", release_db, session_hours=24 * 365).start()
    try:
        after = {t: _count(release_db, f"SELECT count(*) FROM {t}")[0][0] for t in before}
        assert after == before, "nothing was lost or added by the upgrade"
        assert _count(release_db, "SELECT hall, is_default FROM hall_state") == [("puan", True)]
        users = dict(_count(release_db, "SELECT username, hall FROM staff_user"))
        assert users == {"admin": "*", "li": "puan", "zhao": "puan", "cun01": "puan"}
        assert {h for (h,) in _count(release_db, "SELECT DISTINCT hall FROM ticket")} == {"puan"}
        api = Api(live.url)
        admin = api.admin()
        assert api.http.get("/api/county/halls").json()[0]["code"] == "puan"
        # The old users log in and act in the hall they always had, now also under its prefix.
        li = {"Authorization": "Bearer " + api.login("li", "password-123")}
        windows = Api(f"{live.url}/h/puan").http.get("/api/windows", headers=li)
        assert windows.status_code == 200 and len(windows.json()) == 18
        numbers = sorted(n for (n,) in _count(release_db, "SELECT number FROM ticket"))
        assert numbers == ["A001", "D001", "G001", "G002"]
        export = api.http.get("/api/stats/export.csv", headers=admin,
                              params={"from": "2026-01-01", "to": "2026-12-31"})
        assert export.status_code == 200 and sum(n in export.text for n in numbers) == 4
        cases = api.http.get("/api/cases", headers=li).json()
        assert cases["total"] == 1 and cases["cases"][0]["applicant"]["name"] == "王秀英"
        zhao = {"Authorization": "Bearer " + api.login("zhao", "password-123")}
        feedback = api.http.get("/api/feedback", headers=zhao).json()
        assert feedback["total"] == 2 and {i["kind"] for i in feedback["items"]} == {"bad_grade", "cannot_do"}
        # The event log carries on from its last seq, and the admin is county-wide.
        seq = api.http.get("/api/queue").json()["seq"]
        assert seq == before["event"]
        added = api.http.post("/api/county/halls", headers=admin, json={"code": "xiasi", "name": "下寺镇"})
        assert added.status_code == 201
        api.close()
    finally:
        live.stop()
    assert _count(release_db, "SELECT version_num FROM alembic_version")[0][0] != "0007"
