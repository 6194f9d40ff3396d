"""Run the `hall` command line as an operator does: a separate process on the same data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from tests.support.live import LiveServer


def live_env(live: LiveServer) -> dict[str, str]:
    """Return the environment that points `hall` at a live server's database and data folder."""
    return {"HALL_DATABASE_URL": live.settings.resolved_database_url(),
            "HALL_VAR_DIR": str(live.var_dir), "HALL_SECRET_KEY": "test-secret"}


def var_env(var: Path) -> dict[str, str]:
    """Return the environment that points `hall` at a data folder (and the SQLite database in it)."""
    return {"HALL_VAR_DIR": str(var)}


def hall_cmd(*args: str, env: Mapping[str, str], stdin: str = "",
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `hall <args>` with the environment given on top of this one."""
    return subprocess.run([sys.executable, "-m", "queue_server.cli", *args], input=stdin,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=timeout)
