"""Kiosk settings (env prefix KIOSK_), built by the entry point and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
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
    # Spoken prompts (espeak-ng, offline). 长辈模式 speaks even when speech is off.
    speech: bool = True
    speech_volume: float = Field(default=0.8, ge=0.0, le=1.0)
    # Spans with no automatic speech, e.g. "12:00-13:30" or "12:00-13:30,18:00-08:00".
    quiet_hours: str = ""
    speech_cache: Path = Path.home() / ".cache" / "hall-kiosk" / "speech"
    espeak: str = "espeak-ng"
    speech_voice: str = "cmn"
    speech_speed: int = Field(default=150, ge=80, le=400)
    # 二代证 reader: serial:///dev/ttyUSB0?baudrate=115200 or tcp://HOST:PORT; unset: no reader.
    id_reader: str | None = None
    id_reader_interval: float = 0.3
    # The service a 取领件号 ticket is for. PLACEHOLDER: the default hall has no 办结出件 service
    # (cases are collected at pickup_window 18); unset, the card screen sends residents there.
    pickup_service: str = ""
    help_poll_seconds: float = 5.0
    # Test harness only: a loopback port on which the app accepts control commands.
    control_port: int | None = None
