"""Staff users, their sessions, and hall devices."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from pydantic import Field as PField
from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from printer.status import PrinterStatus
from queue_server.db.types import StrEnumType, UTCDateTime
from queue_server.domain.model import DeviceKind, Role


class User(SQLModel, table=True):
    """A member of staff."""

    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    password_hash: str
    role: Role = Field(sa_column=Column(StrEnumType(Role), nullable=False))
    display_name: str = ""
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    disabled: bool = False
    station: str | None = None  # an agent's village station (代办员所属村站)
    hall: str = Field(default="", index=True)  # the hall's code, or "*" for a county-wide manager or admin


class AuthSession(SQLModel, table=True):
    """A login: the token is stored hashed."""

    __tablename__ = "auth_session"

    token_hash: str = Field(primary_key=True)
    user_id: int = Field(index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AuthEpoch(SQLModel, table=True):
    """One counter, raised in the same transaction as every revocation (the auth cache's check)."""

    __tablename__ = "auth_epoch"

    id: int = Field(default=1, primary_key=True)
    value: int = 0


class Device(SQLModel, table=True):
    """A kiosk, display board or evaluation pad, holding a device token."""

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    name: str
    kind: DeviceKind = Field(sa_column=Column(StrEnumType(DeviceKind), nullable=False))
    window: int | None = None
    token_hash: str = Field(unique=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_seen: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    status: PrinterStatus | None = Field(default=None, sa_column=Column(StrEnumType(PrinterStatus)))
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
    station: str | None = PField(default=None, max_length=20)  # required for an agent
    # "*": a manager or admin who holds the role in every hall of the county. Otherwise the user
    # belongs to the hall the request names (/h/{code}/…, or the default hall).
    hall: Literal["*"] | None = None
    model_config = {"extra": "forbid"}


class DeviceCreate(BaseModel):
    """A new device."""

    name: str = PField(min_length=1, max_length=64)
    kind: DeviceKind
    window: int | None = PField(default=None, ge=-(2**31), le=2**31 - 1)
    model_config = {"extra": "forbid"}


class DeviceStatusBody(BaseModel):
    """A device reporting its printer."""

    printer: PrinterStatus
    # The kiosk sends up to 500 characters (kiosk/client.py); refusing more would hide the fault.
    detail: str | None = PField(default=None, max_length=500)
    model_config = {"extra": "forbid"}


class PasswordBody(BaseModel):
    """A new password for a staff user."""

    password: str = PField(min_length=8, max_length=200)
    model_config = {"extra": "forbid"}


class UserPublic(BaseModel):
    """A staff user as the API shows them."""

    username: str
    role: Role
    display_name: str
    disabled: bool = False  # shown only when true
    station: str | None = None  # an agent's station; shown only for agents
    hall: str | None = None  # the hall's code, or "*" for a county-wide manager or admin


class LoginResult(BaseModel):
    """A new session's token and its user."""

    token: str
    user: UserPublic


class Me(BaseModel):
    """Who the caller is."""

    kind: str
    username: str | None
    role: str
    display_name: str
    window: int | None
    station: str | None = None  # an agent's village station
    station_name: str | None = None
    hall: str = ""  # the caller's own hall, or "*" for a county-wide manager or admin


class DevicePublic(BaseModel):
    """A device and its last reported status."""

    id: int
    name: str
    kind: DeviceKind
    window: int | None
    last_seen: str | None
    status: PrinterStatus | None
    detail: str | None
    revoked: bool


class DeviceCreated(DevicePublic):
    """A new device, with its token shown this once."""

    token: str
