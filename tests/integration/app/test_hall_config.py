"""`hall config export` and `import`: the hall YAML round trips, a bad file is refused, the server uses it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import yaml

from tests.support.cli import hall_cmd, var_env
from tests.support.live import LiveServer


def test_config_export_then_import_round_trips_and_bad_files_are_refused(
        tmp_path: Path, serve: Callable[..., LiveServer]) -> None:
    env = var_env(tmp_path)
    exported = tmp_path / "hall.yaml"
    result = hall_cmd("config", "export", str(exported), env=env)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert len(data["windows"]) == 18 and len(data["categories"]) == 8
    data["hall"]["name"] = "测试镇便民服务中心"
    data["windows"][0]["name"] = "综合窗口（改）"
    exported.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = hall_cmd("config", "import", str(exported), env=env)
    assert result.returncode == 0, result.stderr
    again = tmp_path / "again.yaml"
    assert hall_cmd("config", "export", str(again), env=env).returncode == 0
    assert yaml.safe_load(again.read_text(encoding="utf-8")) == data
    broken = tmp_path / "broken.yaml"
    data["windows"][0]["profile"] = [["no-such-service"]]
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    refused = hall_cmd("config", "import", str(broken), env=env)
    assert refused.returncode == 2 and "no-such-service" in refused.stderr
    base = serve(var=tmp_path).url
    catalog = httpx.get(base + "/api/catalog").json()
    assert catalog["hall"]["name"] == "测试镇便民服务中心"
    assert catalog["windows"][0]["name"] == "综合窗口（改）"
