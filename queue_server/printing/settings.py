"""Settings of the print relay (env prefix HALL_PRINT_AGENT_), read once where the app starts."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PrintAgentSettings(BaseSettings):
    """How long a print request waits for its agent, and how long job rows are kept."""

    model_config = SettingsConfigDict(env_prefix="HALL_PRINT_AGENT_", extra="ignore")

    # A clerk waits this long for 「已打印」 before the request answers 503 printer_fault.
    timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    # Job rows (without their bytes, erased once answered) are kept this long for the logs.
    keep_hours: float = Field(default=24.0, gt=0)
