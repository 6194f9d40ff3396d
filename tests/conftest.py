"""Shared fixtures: real servers on real sockets, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.live import Api, LiveServer, pg_create_database, pg_drop_database

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture
def artifacts() -> Path:
    """Return the folder where tests save screenshots and receipts for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    """Run the queue server on a fresh SQLite database."""
    server = LiveServer(tmp_path / "var").start()
    yield server
    server.stop()


@pytest.fixture
def api(live: LiveServer) -> Iterator[Api]:
    """Return an HTTP client for the live server."""
    client = Api(live.url)
    yield client
    client.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """Create a fresh PostgreSQL database (the test command starts the server)."""
    url = pg_create_database()
    yield url
    pg_drop_database(url)


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield a database URL for SQLite and then for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hall.db'}"
        return
    url = pg_create_database()
    yield url
    pg_drop_database(url)
