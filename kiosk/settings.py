"""Kiosk settings (env prefix KIOSK_), built by the entry point and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class KioskSettings(BaseSettings):
    """Where the server and the printer are, and how the kiosk window looks."""

    model_config = SettingsConfigDict(env_prefix="KIOSK_", extra="ignore")

    server: str = "http://127.0.0.1:8000"
    device_token: str = ""
    printer: str = "tcp://127.0.0.1:9100"
    width: int = 1080
    height: int = 1920
    fullscreen: bool = False
    idle_seconds: float = 60.0
    font: str | None = None
    font_bold: str | None = None
    # Where a face taken out of a font collection (.ttc) is kept between starts.
    font_cache: Path = Path.home() / ".cache" / "hall-kiosk" / "fonts"
    language: Literal["zh", "en"] = "zh"
    request_timeout: float = 3.0
    retry_interval: float = 2.0
    issue_attempts: int = 3
    # Test harness only: a loopback port on which the app accepts control commands.
    control_port: int | None = None
