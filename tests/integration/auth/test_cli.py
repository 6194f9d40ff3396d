"""The `hall users` commands: an operator adds users, sets passwords and disables them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from tests.support.cli import hall_cmd, live_env, var_env
from tests.support.http import login, staff
from tests.support.live import Api, LiveServer


def test_users_add_reads_the_password_from_stdin_and_the_user_can_log_in(
        tmp_path: Path, serve: Callable[..., LiveServer]) -> None:
    env = var_env(tmp_path)
    result = hall_cmd("users", "add", "wangfang", "--role", "clerk", "--display-name", "王芳",
                      env=env, stdin="long-enough-pw\n")
    assert result.returncode == 0, result.stderr
    assert hall_cmd("users", "add", "wangfang", "--role", "clerk", env=env,
                    stdin="long-enough-pw\n").returncode == 1
    assert hall_cmd("users", "add", "short", "--role", "clerk", env=env, stdin="short\n").returncode == 2
    base = serve(var=tmp_path).url
    r = httpx.post(base + "/api/auth/login", json={"username": "wangfang", "password": "long-enough-pw"})
    assert r.status_code == 200 and r.json()["user"]["display_name"] == "王芳"


def test_hall_users_passwd_and_disable_end_the_users_sessions(live: LiveServer, api: Api) -> None:
    li = staff(live, api, api.admin(), "li")
    env = live_env(live)
    assert hall_cmd("users", "passwd", "li", env=env, stdin="cli-password-789\n").returncode == 0
    assert api.http.get("/api/auth/me", headers=li).status_code == 401
    assert login(live, "li", "cli-password-789").status_code == 200
    assert hall_cmd("users", "disable", "li", env=env).returncode == 0
    assert login(live, "li", "cli-password-789").status_code == 401
