"""Helpers for village agent tests: a hall with station distances, agents and their headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.halls import hall_yaml
from tests.support.live import Api

DISTANCES = {"V01": 12.5, "V02": 8.0}  # km to town; the other stations stay unknown


def hall_yaml_with_stations(tmp_path: Path, *, agent_daily_tickets: int = 20) -> Path:
    """Write the bundled hall with distances for V01 and V02; return its path."""
    return hall_yaml(tmp_path / "hall-stations.yaml", stations=DISTANCES,
                     settings={"agent_daily_tickets": agent_daily_tickets})


def agent(api: Api, username: str, station: str, display_name: str = "") -> dict[str, str]:
    """Create an agent of a station and return its headers."""
    r = api.http.post("/api/admin/users", headers=api.admin(), json={
        "username": username, "password": "password-123", "role": "agent", "station": station,
        "display_name": display_name or username})
    assert r.status_code == 201, r.text
    return {"Authorization": "Bearer " + api.login(username, "password-123")}


def home_body(matter: str = "M002", group: str = "elderly", name: str = "李大爷",
              **extra: Any) -> dict[str, Any]:
    """Return a home case body (家能办)."""
    return {"matter": matter, "applicant": {"name": name}, "group": group, **extra}
