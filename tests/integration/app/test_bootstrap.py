"""Start-up: the secret key and a generated admin password are written private, never shown."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from queue_server.core.settings import ServerSettings
from tests.support.http import login
from tests.support.live import LiveServer


def test_a_generated_admin_password_goes_to_a_private_file_not_stdout(
        tmp_path: Path, capfd: pytest.CaptureFixture[str], serve: Callable[..., LiveServer]) -> None:
    live = serve(var="var", settings={"admin_password": None})
    path = tmp_path / "var" / "admin-password.txt"
    # The log's own thread writes the line: read the output until it is there (or 30 s passed).
    out, deadline = "", time.monotonic() + 30
    while str(path.resolve()) not in out and time.monotonic() < deadline:
        out += capfd.readouterr().out
        time.sleep(0.05)
    password = path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert password not in out and str(path.resolve()) in out
    assert login(live, "admin", password).status_code == 200


def test_the_secret_key_file_is_created_private_in_one_step(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from queue_server.app.bootstrap import load_secret

    monkeypatch.setattr(Path, "chmod", lambda *_a, **_k: None)  # no second step to rely on
    old = os.umask(0o022)
    try:
        key = load_secret(ServerSettings(var_dir=tmp_path))
    finally:
        os.umask(old)
    path = tmp_path / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key == path.read_text().strip().encode() and len(key) > 40
