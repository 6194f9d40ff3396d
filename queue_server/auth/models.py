"""Staff users, their sessions, and hall devices."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from pydantic import Field as PField
from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from queue_server.db.types import UTCDateTime

Role = Literal["clerk", "manager", "admin"]
DeviceKind = Literal["kiosk", "display", "pad"]


class User(SQLModel, table=True):
    """A member of staff."""

    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    password_hash: str
    role: str
    display_name: str = ""
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AuthSession(SQLModel, table=True):
    """A login: the token is stored hashed."""

    __tablename__ = "auth_session"

    token_hash: str = Field(primary_key=True)
    user_id: int = Field(index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Device(SQLModel, table=True):
    """A kiosk, display board or evaluation pad, holding a device token."""

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    name: str
    kind: str
    window: int | None = None
    token_hash: str = Field(unique=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_seen: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    status: str | None = None
    detail: str | None = None
    revoked: bool = False


class LoginBody(BaseModel):
    """Credentials."""

    username: str = PField(min_length=1, max_length=64)
    password: str = PField(min_length=1, max_length=200)


class UserCreate(BaseModel):
    """A new staff user."""

    username: str = PField(pattern=r"^[A-Za-z0-9_.-]{2,32}$")
    password: str = PField(min_length=8, max_length=200)
    role: Role
    display_name: str = PField(default="", max_length=64)
    model_config = {"extra": "forbid"}


class DeviceCreate(BaseModel):
    """A new device."""

    name: str = PField(min_length=1, max_length=64)
    kind: DeviceKind
    window: int | None = None
    model_config = {"extra": "forbid"}


class DeviceStatusBody(BaseModel):
    """A device reporting its printer."""

    printer: Literal["ok", "paper_low", "paper_out", "cover_open", "offline"]
    detail: str | None = PField(default=None, max_length=300)
    model_config = {"extra": "forbid"}
