"""Shared fixtures: real servers on real sockets, on SQLite and on PostgreSQL.

`live` (and `api` on it) is the server a test's `server` marker asks for: the database (`db`:
sqlite, postgres, or both, which runs the test once on each), server settings, hall YAML changes
and a held clock (tests/support/halls.py, ServerSpec). Without a marker it is the bundled hall on a
fresh SQLite database. `clock` is the clock the server holds. `serve` starts more servers on demand;
`any_db` and `pg_url` are fresh databases for tests that start no server of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.clock import MovableClock, hold_clock
from tests.support.halls import DATABASES, ServerSpec
from tests.support.live import Api, LiveServer, ServedProcess, pg_create_database, pg_drop_database

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def pytest_configure(config: pytest.Config) -> None:
    """Register the server marker; give every test HTTP client 30 s to get an answer."""
    # httpx waits 5 s by default (for any client made without a timeout: about ninety in the
    # tests). On a machine shared with other suites a login's password hash alone has taken
    # longer, and a test then failed on its set-up. The default object is httpx's own; every
    # client and call that names no timeout reads it.
    httpx.Timeout.__init__(httpx._config.DEFAULT_TIMEOUT_CONFIG, 30.0)
    config.addinivalue_line(
        "markers", "server(db, settings, hall_settings, windows, printers, stations, clock): "
                   "the live server the test runs against (tests/support/halls.py, ServerSpec)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a test on `any_db`, or whose server marker says db="both", once on each database."""
    if "db_kind" not in metafunc.fixturenames:
        return
    if "any_db" in metafunc.fixturenames or ServerSpec.of(metafunc.definition).db == "both":
        metafunc.parametrize("db_kind", DATABASES, indirect=True)


@contextmanager
def fresh_database(kind: str, sqlite_url: str) -> Iterator[str]:
    """Yield the SQLite URL given, or the URL of a fresh PostgreSQL database dropped afterwards."""
    if kind == "sqlite":
        yield sqlite_url
        return
    url = pg_create_database()
    try:
        yield url
    finally:
        pg_drop_database(url)


@pytest.fixture
def artifacts() -> Path:
    """Return the folder where tests save screenshots and receipts for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def db_kind(request: pytest.FixtureRequest) -> str:
    """Name the database the test runs on: sqlite or postgres."""
    return str(getattr(request, "param", ServerSpec.of(request.node).db))


@pytest.fixture
def live(request: pytest.FixtureRequest, tmp_path: Path, db_kind: str) -> Iterator[LiveServer]:
    """Run the queue server the test's `server` marker asks for (by default: SQLite, bundled hall)."""
    spec = ServerSpec.of(request.node)
    with fresh_database(db_kind, "") as url:  # "": the SQLite database in the data folder
        server = spec.start(tmp_path / "var", url, tmp_path / "live-hall.yaml")
        yield server
        server.stop()


@pytest.fixture
def api(live: LiveServer) -> Iterator[Api]:
    """Return an HTTP client for the live server."""
    client = Api(live.url)
    yield client
    client.close()


@pytest.fixture
def clock(live: LiveServer) -> MovableClock:
    """Return the clock the live server holds: the marker's `clock`, else one held from now on."""
    held = live.runtime.clock
    return held if isinstance(held, MovableClock) else hold_clock(live)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start servers on demand, with the `server` marker's keywords (but database_url for db).

    For several servers on one database, a restart on a changed hall, or a hall known only at run
    time (a virtual printer's address). var names the data folder: a name under tmp_path or a path.
    Every server started is stopped afterwards.
    """
    started: list[LiveServer] = []

    def start(*, var: str | Path = "", database_url: str = "", **wanted: Any) -> LiveServer:
        if "db" in wanted:
            raise TypeError("serve takes a database_url (pg_url, any_db), not db")
        n = len(started)
        var_dir = var if isinstance(var, Path) else tmp_path / (var or f"var{n}")
        server = ServerSpec(**wanted).start(var_dir, database_url, tmp_path / f"serve{n}-hall.yaml")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """Create a fresh PostgreSQL database (the test command starts the server)."""
    url = pg_create_database()
    yield url
    pg_drop_database(url)


@pytest.fixture
def any_db(tmp_path: Path, db_kind: str) -> Iterator[str]:
    """Yield a database URL for SQLite and then for PostgreSQL."""
    with fresh_database(db_kind, f"sqlite:///{tmp_path / 'hall.db'}") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres-2-workers"])
def deployment_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the base URL of a server on SQLite, then of `hall serve --workers 2` on PostgreSQL."""
    if request.param == "sqlite":
        live = LiveServer(tmp_path / "var").start()
        yield live.url
        live.stop()
        return
    url = pg_create_database()
    (tmp_path / "var").mkdir()
    served = ServedProcess(tmp_path / "var", url, workers=2).start()
    try:
        yield served.url
    finally:
        served.stop()
        pg_drop_database(url)
