"""Login, users and devices."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlmodel import Session, col, select

from queue_server.auth import service
from queue_server.auth.models import (
    Device,
    DeviceCreate,
    DeviceStatusBody,
    LoginBody,
    User,
    UserCreate,
)
from queue_server.deps import (
    SESSION_COOKIE,
    AdminDep,
    DeviceDep,
    ManagerDep,
    PrincipalDep,
    RowId,
    RuntimeDep,
    bearer_token,
    client_ip,
)
from queue_server.errors import RateLimited, Unauthorized

router = APIRouter(prefix="/api", tags=["auth"])


def _user_public(user: User) -> dict[str, Any]:
    return {"username": user.username, "role": user.role, "display_name": user.display_name}


def _device_public(rt: RuntimeDep, d: Device) -> dict[str, Any]:
    return {"id": d.id, "name": d.name, "kind": d.kind, "window": d.window,
            "last_seen": rt.hall.local_iso(d.last_seen), "status": d.status, "detail": d.detail,
            "revoked": d.revoked}


@router.post("/auth/login")
async def login(body: LoginBody, request: Request, response: Response, rt: RuntimeDep) -> dict[str, Any]:
    """Log in with a username and password."""
    # Only failed attempts count, so a busy admin creating accounts is never locked out.
    limiter = request.app.state.login_limiter
    key = f"{client_ip(request)}:{body.username}"
    if limiter.over(key):
        raise RateLimited("登录失败次数过多，请一分钟后再试")
    now = rt.clock()

    def run(session: Session) -> tuple[tuple[str, dict[str, Any]], list[Any]]:
        token, user = service.login(session, body.username, body.password, now,
                                    rt.settings.session_hours)
        return (token, _user_public(user)), []

    try:
        token, user = await rt.write(run)
    except Unauthorized:
        limiter.hit(key)
        raise
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                        max_age=rt.settings.session_hours * 3600, path="/")
    return {"token": token, "user": user}


@router.post("/auth/logout", status_code=204)
async def logout(request: Request, response: Response, rt: RuntimeDep) -> Response:
    """End the session."""
    token = bearer_token(request)
    if token:

        def run(session: Session) -> tuple[None, list[Any]]:
            service.logout(session, token)
            return None, []

        await rt.write(run)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/auth/me")
async def me(principal: PrincipalDep) -> dict[str, Any]:
    """Tell who the caller is."""
    if principal is None:
        raise Unauthorized("请先登录")
    return {"kind": principal.kind, "username": principal.username, "role": principal.role,
            "display_name": principal.display_name, "window": principal.window}


@router.post("/admin/users", status_code=201)
async def add_user(body: UserCreate, rt: RuntimeDep, _: AdminDep) -> dict[str, Any]:
    """Add a staff user."""
    now = rt.clock()
    return await rt.write(lambda s: (_user_public(service.add_user(s, body, now)), []))


@router.get("/admin/users")
async def list_users(rt: RuntimeDep, _: AdminDep) -> list[dict[str, Any]]:
    """List staff users."""
    return await rt.read(
        lambda s: [_user_public(u) for u in s.exec(select(User).order_by(col(User.id))).all()]
    )


@router.post("/admin/devices", status_code=201)
async def add_device(body: DeviceCreate, rt: RuntimeDep, _: AdminDep) -> dict[str, Any]:
    """Register a kiosk, display or pad and return its token once."""
    now = rt.clock()

    def run(session: Session) -> tuple[dict[str, Any], list[Any]]:
        device, token = service.add_device(session, rt.hall.code, body,
                                           len(rt.hall.config.windows), now)
        return {**_device_public(rt, device), "token": token}, []

    return await rt.write(run)


@router.get("/admin/devices")
async def list_devices_admin(rt: RuntimeDep, _: AdminDep) -> list[dict[str, Any]]:
    """List devices."""
    return await _devices(rt)


@router.get("/devices")
async def list_devices(rt: RuntimeDep, _: ManagerDep) -> list[dict[str, Any]]:
    """List devices and their last reported status."""
    return await _devices(rt)


async def _devices(rt: RuntimeDep) -> list[dict[str, Any]]:
    return await rt.read(lambda s: [
        _device_public(rt, d) for d in s.exec(
            select(Device).where(Device.hall == rt.hall.code, col(Device.revoked).is_(False))
            .order_by(col(Device.id))).all()
    ])


@router.delete("/admin/devices/{device_id}", status_code=204)
async def revoke_device(device_id: RowId, rt: RuntimeDep, _: AdminDep) -> Response:
    """Revoke a device token."""

    def run(session: Session) -> tuple[None, list[Any]]:
        service.revoke_device(session, device_id)
        return None, []

    await rt.write(run)
    return Response(status_code=204)


@router.post("/devices/status", status_code=204)
async def device_status(body: DeviceStatusBody, rt: RuntimeDep, who: DeviceDep) -> Response:
    """Record a device's printer status, for managers to see."""
    now = rt.clock()

    def run(session: Session) -> tuple[None, list[Any]]:
        from queue_server.events import service as events

        device = session.get(Device, who.device_id)
        assert device is not None
        changed = device.status != body.printer
        device.status, device.detail, device.last_seen = body.printer, body.detail, now
        out = []
        if changed:
            events.lock_hall(session, rt.hall.code)
            out.append(events.append(session, rt.hall, type="device.status", at=now,
                                     actor=who.actor, extra={"device": device.id,
                                                             "status": body.printer}))
        return None, out

    await rt.write(run)
    return Response(status_code=204)
