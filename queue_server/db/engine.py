"""Engines and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session

WRITE = "hall_write"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and serialised writers."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # LIFO: the connection used last is used next. SQLite keeps each connection's page
        # cache only while no other connection writes, so a writer that took the least recently
        # used of 20 connections read every page it touched again (24 reads a ticket).
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=20,
            max_overflow=20, pool_use_lifo=True,
        )
        _configure_sqlite(engine)
        return engine
    # Short connect and pool timeouts: while the database restarts, requests fail fast with a
    # 503 instead of hanging.
    engine = create_engine(url, pool_size=20, max_overflow=20, pool_timeout=10,
                           connect_args={"connect_timeout": 5})
    _ping_when_idle(engine)
    return engine


PING_AFTER_IDLE = 1.0  # seconds a pooled PostgreSQL connection may rest before it is pinged again


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection at checkout only if it rested for a while (pre-ping, made cheap).

    SQLAlchemy's pool_pre_ping sends SELECT 1 before every checkout: one round trip in every
    request, a tenth of a worker's time under load (docs/server.md). A connection used less than
    PING_AFTER_IDLE ago is handed out as it is; one that rested longer (the database may have
    restarted meanwhile) is pinged, and replaced if the ping fails.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi: Any, record: Any) -> None:
        record.info["rested_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("rested_since")
        if since is not None and time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi)
        except engine.dialect.loaded_dbapi.Error as exc:
            # The pool throws this connection away and checks out another (up to three times).
            raise DisconnectionError(f"stale connection: {exc}") from exc


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control so that writers can BEGIN IMMEDIATE (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before it is answered, so a power cut never takes back a
        # number already printed (docs/decisions.md weighs the cost).
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A deferred transaction that later writes can fail at once with "database is locked"
        # instead of waiting; IMMEDIATE takes the write lock up front and waits its turn.
        # Sent on the driver connection: through exec_driver_sql, SQLAlchemy's execution context
        # cost several times the statement (every transaction, read or write, begins here).
        write = conn.get_execution_options().get(WRITE, False)
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None  # a connection that begins is checked out
        dbapi.execute("BEGIN IMMEDIATE" if write else "BEGIN")


_sqlite_writers: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


@contextmanager
def _writer_turn(engine: Engine) -> Iterator[None]:
    # SQLite admits one writer; its busy handler makes waiters sleep and retry, which gives long
    # tail latencies under load. Queueing this process's writers on a lock instead is fair and
    # prompt. Correctness does not rest on it: BEGIN IMMEDIATE and the constraints still hold.
    if engine.dialect.name != "sqlite":
        yield
        return
    lock = _sqlite_writers.get(engine)
    if lock is None:
        lock = _sqlite_writers.setdefault(engine, threading.Lock())
    with lock:
        yield


@contextmanager
def write_session(engine: Engine, connection: Connection | None = None) -> Iterator[Session]:
    """Open a session for one write transaction; commit on success, roll back on error.

    It takes a connection from the pool, or runs on ``connection`` (the group-commit writer's own).
    """
    with _writer_turn(engine), Session(connection or engine, expire_on_commit=False) as session:
        try:
            # The option is set on the connection, not on a copy of the engine (a copy per
            # transaction copied its event dispatch): the begin hook reads it for BEGIN IMMEDIATE.
            session.connection(execution_options={WRITE: True})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """Open a session for reading."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def snapshot_session(engine: Engine) -> Iterator[Session]:
    """Open a session whose reads all see one snapshot of the database.

    SQLite's read transaction is one already; PostgreSQL's default (READ COMMITTED) gives each
    statement its own, so a seq read first and rows read after could disagree.
    """
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with Session(engine, expire_on_commit=False) as session:
        yield session
