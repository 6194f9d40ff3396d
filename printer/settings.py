"""Printer settings (env prefix PRINTER_), built by the entry point and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from printer.profile import PrinterProfile


class PrinterSettings(BaseSettings):
    """Where the printer is and how receipts look; URL query options override these."""

    model_config = SettingsConfigDict(env_prefix="PRINTER_", extra="ignore")

    url: str = "tcp://127.0.0.1:9100"
    width_mm: Literal[58, 80] = 80
    text: Literal["gb18030", "raster"] = "gb18030"
    qr: Literal["native", "image"] = "native"
    font_path: Path | None = None
    footer: str = ""
    timeout_seconds: float = 3.0
    # Ask DLE EOT before each receipt, so a paper-out printer fails fast instead of
    # silently swallowing the job.
    check_status: bool = True

    def default_profile(self) -> PrinterProfile:
        """Return the profile a URL without query options gets."""
        return PrinterProfile(
            width_mm=self.width_mm, text=self.text, qr=self.qr, font_path=self.font_path
        )
