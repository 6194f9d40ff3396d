"""What a test asks of its live server: database, server settings, hall YAML changes, a held clock.

The shared fixtures in tests/conftest.py read it from the `server` marker (for `live`) or take it as
keywords (the `serve` factory, for several servers, restarts, or a hall known only at run time):

    pytestmark = pytest.mark.server(db="both", settings=LONG_SESSIONS)

    @pytest.mark.server(hall_settings={"mobile_entry": "open"}, clock="2026-12-01 10:00")
    def test_…(live: LiveServer, clock: MovableClock) -> None: …
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from queue_server.hallconfig.loader import bundled_yaml
from tests.support.clock import hold_clock
from tests.support.live import LiveServer

DATABASES = ("sqlite", "postgres")
LONG_SESSIONS = {"session_hours": 24 * 365}  # for tests that move the clock by weeks
# Settings LiveServer passes itself; an override replaces them after construction.
FIXED_BY_LIVE_SERVER = {"admin_password", "secret_key"}


def hall_yaml(path: Path, *, settings: Mapping[str, Any] | None = None, windows: int | None = None,
              printers: Mapping[int, str] | None = None,
              stations: Mapping[str, float | None] | None = None) -> Path:
    """Write the bundled hall with changes to a file; return its path.

    settings: hall settings; a mapping (mobile_limits, say) is merged into the one already there.
    windows: keep the first n windows (settings naming a window beyond them name the last one).
    printers: the window printers, by window number (the others get none).
    stations: the village stations' distances in km, by code (the others unknown).
    """
    data = yaml.safe_load(bundled_yaml())
    hall_settings = data["settings"]
    for key, value in (settings or {}).items():
        current = hall_settings.get(key)
        hall_settings[key] = {**current, **value} if isinstance(value, Mapping) and isinstance(
            current, dict) else value
    if windows is not None:
        data["windows"] = data["windows"][:windows]
        for key, value in list(hall_settings.items()):  # pickup_window, proxy_window …
            if key.endswith("_window") and isinstance(value, int) and value > windows:
                hall_settings[key] = windows
    if printers is not None:
        for window in data["windows"]:
            window.pop("printer", None)
            if window["number"] in printers:
                window["printer"] = printers[window["number"]]
    if stations is not None:
        for station in data["stations"]:
            station["distance_km"] = stations.get(station["code"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@dataclass(frozen=True)
class ServerSpec:
    """A live server as a test needs it; the keywords of the `server` marker and of `serve`."""

    db: str = "sqlite"  # sqlite, postgres, or both (the test runs once on each)
    settings: Mapping[str, Any] = field(default_factory=dict)  # ServerSettings overrides
    hall_settings: Mapping[str, Any] = field(default_factory=dict)
    windows: int | None = None
    printers: Mapping[int, str] | None = None
    stations: Mapping[str, float | None] | None = None
    clock: str | None = None  # a local hall time 'YYYY-MM-DD HH:MM' the server's clock is held at

    def __post_init__(self) -> None:
        if self.db not in (*DATABASES, "both"):
            raise ValueError(f"server marker: db must be sqlite, postgres or both, not {self.db!r}")

    @classmethod
    def of(cls, node: pytest.Item) -> ServerSpec:
        """Merge a test's `server` markers; for each keyword the closest marker wins."""
        merged: dict[str, Any] = {}
        for marker in node.iter_markers("server"):  # the test's own first, then class, module
            if marker.args:
                raise TypeError("the server marker takes keywords only")
            for key, value in marker.kwargs.items():
                merged.setdefault(key, value)
        return cls(**merged)

    @property
    def changes_hall(self) -> bool:
        """Tell whether the server runs on a changed copy of the bundled hall."""
        return bool(self.hall_settings) or any(
            x is not None for x in (self.windows, self.printers, self.stations))

    def start(self, var_dir: Path, database_url: str, hall_path: Path) -> LiveServer:
        """Start a server as asked; write the changed hall to hall_path first if there is one."""
        settings = {k: v for k, v in self.settings.items() if k not in FIXED_BY_LIVE_SERVER}
        if self.changes_hall:
            settings["config"] = hall_yaml(hall_path, settings=self.hall_settings, windows=self.windows,
                                           printers=self.printers, stations=self.stations)
        server = LiveServer(var_dir, database_url, **settings)
        fixed = {k: v for k, v in self.settings.items() if k in FIXED_BY_LIVE_SERVER}
        if fixed:
            server.settings = server.settings.model_copy(update=fixed)
        server.start()
        if self.clock is not None:
            hold_clock(server, self.clock)
        return server
