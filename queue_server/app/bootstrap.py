"""Start-up: configuration, the secret key, migrations, and every hall's own rows."""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from queue_server.app.handlers import message_bus
from queue_server.auth.service import ensure_admin
from queue_server.calendar.workcalendar import CountyCalendar
from queue_server.core.settings import ServerSettings
from queue_server.db.engine import read_session, write_session
from queue_server.db.eventlog import HallState, ensure_hall_row
from queue_server.db.migrate import startup_lock, upgrade
from queue_server.db.uow import UnitOfWork
from queue_server.hallconfig.loader import bundled_yaml, load_file, parse
from queue_server.hallconfig.schema import HallConfig
from queue_server.halls.hall import Hall
from queue_server.windows.service.opening import ensure_windows


def write_private(path: Path, text: str, *, replace: bool = True) -> bool:
    """Write a file only its owner can read, created 0600 in one step; tell whether it was written.

    The text goes to a private temporary file that is then renamed (or, with replace=False, linked)
    into place, so no reader ever sees the file half-written or with wider permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)  # fails if another process made the file first: keep theirs
            return True
        except FileExistsError:
            return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def load_secret(settings: ServerSettings) -> bytes:
    """Return HALL_SECRET_KEY, or a key generated once and kept under var/."""
    if settings.secret_key:
        return settings.secret_key.encode()
    path = settings.var_dir / "secret.key"
    if not path.exists():
        write_private(path, secrets.token_urlsafe(48), replace=False)
    return path.read_text().strip().encode()


def save_admin_password(settings: ServerSettings, password: str) -> Path:
    """Keep a generated admin password in a 0600 file under var/ instead of printing it."""
    path = settings.var_dir / "admin-password.txt"
    write_private(path, password + "\n")
    return path.resolve()


def choose_config(settings: ServerSettings, engine: Engine) -> HallConfig:
    """Pick the default hall's configuration: HALL_CONFIG if set, else an imported one, else the bundled hall."""
    if settings.config is not None:
        return load_file(Path(settings.config))
    with read_session(engine) as session:
        state = session.exec(select(HallState).where(col(HallState.is_default).is_(True))).first()
        if state is None:  # a database older than the county: the hall with an imported configuration
            state = session.exec(select(HallState).where(col(HallState.config_yaml).is_not(None))).first()
        if state is not None and state.config_yaml:
            return parse(state.config_yaml)
    return parse(bundled_yaml())


def other_halls(session: Session, default: str) -> list[HallConfig]:
    """Return the configurations of the county's halls other than the default one."""
    rows = session.exec(select(HallState).where(HallState.hall != default, col(HallState.config_yaml).is_not(None))
                        .order_by(col(HallState.hall))).all()
    return [parse(r.config_yaml) for r in rows if r.config_yaml]


def mark_default(session: Session, code: str, name: str, now: datetime) -> None:
    """Make sure the default hall's row exists and is the one marked default (the first start's hall)."""
    ensure_hall_row(session, code)
    row = session.get(HallState, code)
    assert row is not None
    row.name = name
    if session.exec(select(HallState).where(col(HallState.is_default).is_(True))).first() is None:
        row = session.get(HallState, code)
        assert row is not None
        row.is_default = True
        row.created_at = row.created_at or now


@dataclass(frozen=True)
class Prepared:
    """What start-up found or made: the county's halls (default first), and a generated admin password."""

    halls: list[Hall]
    generated_admin_password: str | None

    @property
    def default(self) -> Hall:
        """Return the default hall (the one the server first started with)."""
        return self.halls[0]


def prepare(settings: ServerSettings, engine: Engine, now: datetime,
            county: CountyCalendar | None = None) -> Prepared:
    """Migrate the database and make sure every hall's rows and a county-wide admin exist."""
    with startup_lock(engine):
        upgrade(engine)
        secret = load_secret(settings)
        default = Hall(choose_config(settings, engine), secret, county)
        bus = message_bus()
        with write_session(engine) as session:
            mark_default(session, default.code, default.config.hall.name, now)
            halls = [default] + [Hall(c, secret, county) for c in other_halls(session, default.code)]
            for hall in halls:
                ensure_windows(UnitOfWork(session, hall, bus), now)
            password = ensure_admin(session, settings.admin_password, now)
    return Prepared(halls, password)


def load_hall(engine: Engine, code: str, secret: bytes, county: CountyCalendar | None) -> Hall | None:
    """Read a hall another process added; None when the county has no hall with this code."""
    with read_session(engine) as session:
        row = session.get(HallState, code)
    if row is None or not row.config_yaml:
        return None
    return Hall(parse(row.config_yaml), secret, county)
