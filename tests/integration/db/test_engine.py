"""The engine's connections: what SQLite is told before the first statement."""

from __future__ import annotations

from tests.support.live import LiveServer


def test_sqlite_commits_are_durable(live: LiveServer) -> None:
    with live.runtime.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
