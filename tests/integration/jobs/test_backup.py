"""`hall backup` and `hall restore`: a copy taken from a running hall serves every ticket again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from tests.support.cli import hall_cmd, live_env, var_env
from tests.support.http import issue, kiosk
from tests.support.live import Api, LiveServer


def test_hall_backup_and_restore_round_trip_on_sqlite(
        live: LiveServer, api: Api, tmp_path: Path, serve: Callable[..., LiveServer]) -> None:
    t = issue(api, kiosk(api, api.admin()), "invoice")
    backup = hall_cmd("backup", str(tmp_path / "copy.db"), env=live_env(live))
    assert backup.returncode == 0, backup.stderr
    target = tmp_path / "restored"
    restore = hall_cmd("restore", str(tmp_path / "copy.db"), env=var_env(target))
    assert restore.returncode == 0, restore.stderr
    again = serve(var=target)
    got = httpx.get(f"{again.url}/api/tickets/{t['id']}", params={"token": t["token"]})
    assert got.status_code == 200 and got.json()["number"] == t["number"]
