"""Passwords, sessions, device tokens and who is acting."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from queue_server.auth.events import DeviceStatusChanged
from queue_server.auth.models import (
    AuthEpoch,
    AuthSession,
    Device,
    DeviceCreate,
    DeviceStatusBody,
    User,
    UserCreate,
)
from queue_server.core.errors import Conflict, Forbidden, Invalid, NotFound
from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import COUNTY_WIDE, DeviceKind, Role
from queue_server.halls.hall import Hall

_hasher = PasswordHasher()


@dataclass(frozen=True)
class Principal:
    """Whoever sent the request: a staff user or a device."""

    kind: str  # "user" | "device"
    role: str  # clerk | manager | admin | agent for users; kiosk | display | pad for devices
    username: str | None = None
    display_name: str = ""
    device_id: int | None = None
    window: int | None = None  # a pad's window
    station: str | None = None  # an agent's village station
    hall: str = ""  # the hall the user or device belongs to, or COUNTY_WIDE

    @property
    def actor(self) -> str:
        """Return how the event log names this principal."""
        return f"user:{self.username}" if self.kind == "user" else f"device:{self.device_id}"

    @property
    def county_wide(self) -> bool:
        """Tell whether this user holds its role in every hall (a county manager or admin)."""
        return self.kind == "user" and self.hall == COUNTY_WIDE

    def belongs_to(self, hall: str) -> bool:
        """Tell whether this user or device may act in a hall."""
        return self.hall in (hall, COUNTY_WIDE)

    def foreign(self) -> Principal:
        """Return this caller as seen by another hall: neither staff nor a device there."""
        return replace(self, kind="foreign")

    @property
    def is_staff(self) -> bool:
        """Tell whether this is a logged-in hall user (a village agent is not hall staff)."""
        return self.kind == "user" and self.role != Role.AGENT

    @property
    def is_agent(self) -> bool:
        """Tell whether this is a village station's proxy agent (代办员)."""
        return self.kind == "user" and self.role == Role.AGENT

    @property
    def is_manager(self) -> bool:
        """Tell whether this user may act as a manager (admins count as managers)."""
        return self.kind == "user" and self.role in ("manager", "admin")


def token_hash(token: str) -> str:
    """Hash a bearer token for storage and lookup."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    """Hash a password with argon2."""
    return _hasher.hash(password)


def add_user(uow: UnitOfWork, body: UserCreate, now: datetime,
             password_hash: str | None = None, *, by: Principal | None = None) -> User:
    """Create a staff user in the unit of work's hall (or county-wide), or raise Conflict if the name is taken.

    ``by`` is the admin asking (None: the command line, run by whoever runs the server).
    Usernames are unique across the county: everyone logs in at the same place.
    """
    session = uow.session
    hall = uow.hall.code
    if body.hall == COUNTY_WIDE:
        if by is not None and not (by.county_wide and by.role == Role.ADMIN):
            raise Forbidden("只有县级系统管理员可以添加全县通用的账号")
        if body.role not in (Role.MANAGER, Role.ADMIN):
            raise Invalid("全县通用的账号只能是管理人员（manager）或系统管理员（admin）")
        hall = COUNTY_WIDE
    if session.exec(select(User).where(User.username == body.username)).first():
        raise Conflict(f"用户名 {body.username} 已存在")
    check_station(uow.hall, body.role, body.station)
    user = User(
        username=body.username, password_hash=password_hash or hash_password(body.password),
        role=body.role, station=body.station,
        display_name=body.display_name or body.username, created_at=now, hall=hall,
    )
    session.add(user)
    session.flush()
    return user


def check_station(hall: Hall, role: Role, station: str | None) -> None:
    """Refuse an agent without a configured station, and any other role that names one."""
    codes = {s.code for s in hall.config.stations}
    if role == Role.AGENT and station not in codes:
        raise Invalid(f"代办员必须指定已配置的村便民服务站（当前：{station or '未填写'}）")
    if role != Role.AGENT and station is not None:
        raise Invalid("只有代办员（agent）可以指定村便民服务站")


def find_login(session: Session, username: str) -> User | None:
    """Return the enabled user a login names, or None."""
    user = session.exec(select(User).where(User.username == username)).first()
    return user if user is not None and not user.disabled else None


def open_session(uow: UnitOfWork, user: User, now: datetime, hours: int) -> str:
    """Open a session for a user whose password was checked; return the bearer token."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    uow.session.add(AuthSession(token_hash=token_hash(token), user_id=user.id, created_at=now,
                                expires_at=now + timedelta(hours=hours)))
    return token


def _user(session: Session, username: str, hall: str | None) -> User:
    """Return a user of this hall (any hall, or county-wide, when hall is None), or raise NotFound."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or (hall is not None and user.hall != hall):
        raise NotFound(f"本大厅没有用户 {username}")
    return user


def _scope(uow: UnitOfWork, by: Principal | None) -> str | None:
    """Return the hall whose users an admin may manage: None for a county-wide admin or the CLI."""
    return None if by is None or by.county_wide else uow.hall.code


def list_users(session: Session, hall: str) -> list[User]:
    """List the users who may act in a hall: its own, and the county-wide managers and admins."""
    return list(session.exec(select(User).where(col(User.hall).in_([hall, COUNTY_WIDE]))
                             .order_by(col(User.id))).all())


def raise_epoch(session: Session) -> None:
    """Invalidate every cached login in every server process, when this transaction commits."""
    session.execute(update(AuthEpoch).values(value=col(AuthEpoch.value) + 1))


def revoke_sessions(session: Session, user_id: int) -> int:
    """End every session of a user at once; return how many."""
    raise_epoch(session)
    result = session.execute(delete(AuthSession).where(col(AuthSession.user_id) == user_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def disable_user(uow: UnitOfWork, username: str, *, by: Principal | None = None) -> User:
    """Disable a user and end their sessions; a hall's admin may act only on the hall's users."""
    user = _user(uow.session, username, _scope(uow, by))
    user.disabled = True
    assert user.id is not None
    revoke_sessions(uow.session, user.id)
    return user


def set_password(uow: UnitOfWork, username: str, password_hash: str, *,
                 by: Principal | None = None) -> User:
    """Give a user a new (already hashed) password and end their sessions."""
    user = _user(uow.session, username, _scope(uow, by))
    user.password_hash = password_hash
    assert user.id is not None
    revoke_sessions(uow.session, user.id)
    return user


def logout(uow: UnitOfWork, token: str) -> None:
    """End a session."""
    row = uow.session.get(AuthSession, token_hash(token))
    if row is not None:
        raise_epoch(uow.session)
        uow.session.delete(row)


@dataclass(frozen=True)
class Login:
    """Who a bearer token stands for, and until when (None: a device token, until revoked)."""

    principal: Principal
    expires_at: datetime | None


def resolve(session: Session, digest: str, now: datetime) -> Login | None:
    """Return whom a hashed bearer token stands for, or None."""
    auth = session.get(AuthSession, digest)
    if auth is not None and auth.expires_at > now:
        user = session.get(User, auth.user_id)
        if user is not None and not user.disabled:
            return Login(Principal("user", user.role, user.username, user.display_name,
                                   station=user.station, hall=user.hall), auth.expires_at)
    device = session.exec(select(Device).where(Device.token_hash == digest)).first()
    if device is not None and not device.revoked:
        return Login(Principal("device", device.kind, device_id=device.id, window=device.window,
                               display_name=device.name, hall=device.hall), None)
    return None


def add_device(uow: UnitOfWork, body: DeviceCreate, now: datetime) -> tuple[Device, str]:
    """Register a device and return it with its token (shown once)."""
    hall, windows = uow.hall.code, len(uow.hall.config.windows)
    if body.kind == DeviceKind.PAD and body.window is None:
        raise Invalid("评价器必须指定窗口号 (a pad names its window)")
    if body.window is not None and not 1 <= body.window <= windows:
        raise Invalid(f"窗口号必须在 1 到 {windows} 之间")
    token = secrets.token_urlsafe(32)
    device = Device(hall=hall, name=body.name, kind=body.kind, window=body.window,
                    token_hash=token_hash(token), created_at=now)
    uow.session.add(device)
    uow.session.flush()
    return device, token


def revoke_device(uow: UnitOfWork, device_id: int) -> None:
    """Revoke a device token."""
    device = uow.session.get(Device, device_id)
    if device is None or device.revoked or device.hall != uow.hall.code:
        raise NotFound("设备不存在")
    device.revoked = True
    raise_epoch(uow.session)


def report_status(uow: UnitOfWork, who: Principal, body: DeviceStatusBody, now: datetime) -> None:
    """Record a device's printer status; a change is an event managers see."""
    device = uow.session.get(Device, who.device_id)
    assert device is not None
    changed = device.status != body.printer
    device.status, device.detail, device.last_seen = body.printer, body.detail, now
    if changed and device.id is not None:
        uow.emit(DeviceStatusChanged(device=device.id, status=body.printer), at=now, actor=who.actor)


def list_devices(session: Session, hall: str) -> list[Device]:
    """List a hall's devices that are not revoked."""
    return list(session.exec(select(Device).where(Device.hall == hall, col(Device.revoked).is_(False))
                             .order_by(col(Device.id))).all())


def ensure_admin(session: Session, password: str | None, now: datetime) -> str | None:
    """Create the county-wide user admin if no admin exists; return a generated password to print once."""
    if session.exec(select(User).where(User.role == Role.ADMIN)).first():
        return None
    generated = None
    if not password:
        generated = password = secrets.token_urlsafe(12)
    session.add(User(username="admin", password_hash=hash_password(password), role=Role.ADMIN,
                     display_name="管理员", created_at=now, hall=COUNTY_WIDE))
    return generated
