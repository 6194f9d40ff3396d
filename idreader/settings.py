"""ID-card reader settings (env prefix IDREADER_), built by the entry point and passed down."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class IdReaderSettings(BaseSettings):
    """How long to wait for a reader; the SAM answers find and select within 1 s, a read within 3 s."""

    model_config = SettingsConfigDict(env_prefix="IDREADER_", extra="ignore")

    connect_timeout_seconds: float = Field(default=3.0, gt=0)
    command_timeout_seconds: float = Field(default=1.0, gt=0)  # find card, select card
    read_timeout_seconds: float = Field(default=3.0, gt=0)  # read base info: 1,295 bytes and the card's own time
    baudrate: int = Field(default=115200, gt=0)  # a serial URL's ?baudrate= overrides it
