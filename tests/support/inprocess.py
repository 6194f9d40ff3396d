"""Run use cases in-process against a real database: no server, no sockets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from queue_server.app.bootstrap import prepare
from queue_server.app.handlers import message_bus
from queue_server.auth.service import Principal
from queue_server.core.settings import ServerSettings
from queue_server.db.engine import make_engine
from queue_server.db.uow import Database

ADMIN = Principal("user", "admin", "admin", "管理员")
KIOSK = Principal("device", "kiosk", device_id=1, display_name="kiosk")
NOON = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Tuesday


def clerk(username: str) -> Principal:
    """Return a clerk principal (the user row is not needed by window use cases)."""
    return Principal("user", "clerk", username, username)


@contextmanager
def database(var_dir: Path, url: str = "") -> Iterator[Database]:
    """Migrate and seed a database with the bundled hall; yield a Database on it."""
    settings = ServerSettings(var_dir=var_dir, database_url=url, admin_password="admin-pass-123",
                              secret_key="test-secret")
    engine = make_engine(settings.resolved_database_url())
    try:
        ready = prepare(settings, engine, NOON)
        yield Database(engine, ready.default, bus=message_bus())
    finally:
        engine.dispose()
