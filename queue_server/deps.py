"""Request dependencies: the runtime and who is asking."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy import update
from sqlmodel import col
from starlette.requests import HTTPConnection

from queue_server.auth.models import Device
from queue_server.auth.service import Principal, resolve
from queue_server.db.engine import read_session, write_session
from queue_server.errors import Forbidden, Unauthorized
from queue_server.runtime import Runtime

SESSION_COOKIE = "hall_session"
DEVICE_COOKIE = "hall_device"


# Ids beyond a signed 64-bit integer cannot exist in either database: refuse them as input.
MAX_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


def get_runtime(conn: HTTPConnection) -> Runtime:
    """Return the runtime the app was built with."""
    runtime: Runtime = conn.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def bearer_token(conn: HTTPConnection) -> str | None:
    """Return the bearer token, or the session cookie for web pages."""
    header = conn.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return conn.cookies.get(SESSION_COOKIE)


def get_principal(conn: HTTPConnection) -> Principal | None:
    """Return who is calling, or None for an anonymous request."""
    token = bearer_token(conn)
    if not token or len(token) > 200:
        return None
    runtime = get_runtime(conn)
    with read_session(runtime.engine) as session:
        principal = resolve(session, token, runtime.clock())
    if principal is not None and principal.device_id is not None:
        touch_device(runtime, principal.device_id)
    return principal


def touch_device(runtime: Runtime, device_id: int) -> None:
    """Record that a device is alive, at most once a minute, so managers can spot a dead one."""
    now = time.monotonic()
    if now - runtime.device_touches.get(device_id, -1e9) < 60:
        return
    runtime.device_touches[device_id] = now
    with write_session(runtime.engine) as session:
        session.execute(update(Device).where(col(Device.id) == device_id)
                        .values(last_seen=runtime.clock()))


PrincipalDep = Annotated[Principal | None, Depends(get_principal)]


def require_staff(principal: PrincipalDep) -> Principal:
    """Require a logged-in user."""
    if principal is None:
        raise Unauthorized("请先登录")
    if not principal.is_staff:
        raise Forbidden("需要工作人员账号")
    return principal


def require_manager(principal: PrincipalDep) -> Principal:
    """Require a manager or an admin."""
    who = require_staff(principal)
    if not who.is_manager:
        raise Forbidden("只有管理人员可以查看")
    return who


def require_admin(principal: PrincipalDep) -> Principal:
    """Require an admin."""
    who = require_staff(principal)
    if who.role != "admin":
        raise Forbidden("只有系统管理员可以操作")
    return who


def require_device(principal: PrincipalDep) -> Principal:
    """Require a device token."""
    if principal is None:
        raise Unauthorized("需要设备令牌")
    if principal.kind != "device":
        raise Forbidden("只有设备可以上报状态")
    return principal


ManagerDep = Annotated[Principal, Depends(require_manager)]
AdminDep = Annotated[Principal, Depends(require_admin)]
DeviceDep = Annotated[Principal, Depends(require_device)]


def client_ip(request: Request) -> str:
    """Return the caller's address."""
    return request.client.host if request.client else "unknown"
