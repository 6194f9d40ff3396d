"""Server settings, read from HALL_* environment variables in the entry point only."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
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
    login_attempts_per_minute: int = 10  # per username
    login_ip_attempts_per_minute: int = 30  # per address, across usernames
    password_workers: int = 1  # threads that check passwords; a login flood uses at most these
    cookie_secure: bool = False  # set behind TLS (docs/deployment.md)
    max_body_bytes: int = 64 * 1024
    ws_max_size: int = 4096  # clients never send big frames
    ws_per_item: int = 3  # a resident's sockets on one ticket or case (the contract allows up to 10)
    ws_per_ip: int = 20  # residents' ticket and case sockets from one address
    ws_feed_max: int = 5000  # residents' ticket and case sockets in all
    ws_hall_max: int = 500
    ws_hall_per_ip: int = 50  # a PC may drive the board and many window screens
    tts_ip_per_minute: int = 30
    feedback_reports_per_hour: int = 5  # 「办不成事」 reports from one address
    tts_max_waiting: int = 4
    hub_queue_size: int = 500
    replay_limit: int = 1000
    tts_command: str = "espeak-ng"
    # A login is looked up once and then checked against the auth epoch (one integer) on each
    # request, for at most this long; 0 looks every request up in full. Revocation is immediate.
    auth_cache_seconds: float = 30.0
    # Once started, move what start-up built out of the cyclic garbage collector's way (gc.freeze):
    # a full collection over it stalls every request in flight.
    gc_freeze: bool = True
    # The collector's youngest generation is collected once this many more objects live than
    # before (Python's default: 700). Issuing keeps the simulation's new steps alive, so at 700
    # it ran every few tickets. Each pass is bounded by what lives. 0 keeps Python's default.
    gc_young_threshold: int = Field(default=50_000, ge=0)
    # uvicorn's line per request on stdout (tokens redacted); it has a cost when issuing flat out
    # (docs/server.md). The event log, not this, is the record of what happened.
    access_log: bool = True
    # Print agents (agent://NAME): how long a print request waits for the agent's answer before
    # 503 printer_fault, and how long job rows (without their bytes) are kept.
    print_agent_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    print_agent_keep_hours: float = Field(default=24.0, gt=0)
    # How long an ID card read at a kiosk stays usable for the tickets it takes. The kiosk forgets
    # the card on idle (60 s, 120 s in 长辈模式) or at home; this bounds a token that leaked.
    identity_ttl_seconds: int = Field(default=600, ge=30, le=3600)
    # Texts (docs/sms.md): how often the sender looks for due messages besides being woken after a
    # commit, and how long a claimed message is held before another try may take it (a process that
    # died mid-send). The claim must outlast HALL_SMS_TIMEOUT_SECONDS; it is at least that plus 5 s.
    sms_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    sms_claim_seconds: float = Field(default=30.0, gt=0, le=3600)

    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to SQLite under var/."""
        return self.database_url or f"sqlite:///{self.var_dir / 'hall.db'}"
