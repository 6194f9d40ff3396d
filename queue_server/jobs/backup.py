"""Consistent copies of a live database and their restore: SQLite online backup, pg_dump on PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def _sqlite_path(url: str) -> Path:
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("内存数据库无法备份 (an in-memory database cannot be backed up)")
    return Path(path)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """Return a libpq URL without the password, and the environment that carries it."""
    parsed = make_url(url).set(drivername="postgresql")
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(password=None).render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"找不到 {args[0]}：请安装 PostgreSQL 客户端工具") from None
    if done.returncode != 0:
        raise BackupError(f"{args[0]} 失败: {done.stderr.strip()[:500]}")


def backup(url: str, target: Path) -> None:
    """Write a consistent copy of the live database at url to target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    if url.startswith("sqlite"):
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"数据库文件不存在: {source}")
        # The online backup API copies a consistent snapshot while writers keep going.
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
            src.close()
    else:
        libpq, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}",
              libpq], env)
    os.replace(tmp, target)


def restore(url: str, source: Path) -> None:
    """Replace the (stopped) server's database at url with the backup in source."""
    if not source.is_file():
        raise BackupError(f"备份文件不存在: {source}")
    if url.startswith("sqlite"):
        with open(source, "rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"不是 SQLite 备份文件: {source}")
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return
    libpq, env = _libpq(url)
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", f"--dbname={libpq}", str(source)], env)
