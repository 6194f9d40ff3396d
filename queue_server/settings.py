"""Server settings, read from HALL_* environment variables in the entry point only."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServerSettings(BaseSettings):
    """Settings for the queue server."""

    model_config = SettingsConfigDict(env_prefix="HALL_", extra="ignore")

    var_dir: Path = Path("var")
    database_url: str = ""
    config: Path | None = None
    admin_password: str | None = None
    secret_key: str | None = None
    public_url: str | None = None
    session_hours: int = 12
    login_attempts_per_minute: int = 10
    hub_queue_size: int = 500
    replay_limit: int = 1000
    tts_command: str = "espeak-ng"

    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to SQLite under var/."""
        return self.database_url or f"sqlite:///{self.var_dir / 'hall.db'}"
