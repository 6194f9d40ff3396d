"""Login, users and devices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from queue_server.app.deps import (
    SESSION_COOKIE,
    AdminDep,
    AnyCallerDep,
    DeviceDep,
    ManagerDep,
    RowId,
    RuntimeDep,
    bearer_token,
    client_ip,
)
from queue_server.auth import service
from queue_server.auth.models import (
    Device,
    DeviceCreate,
    DeviceCreated,
    DevicePublic,
    DeviceStatusBody,
    LoginBody,
    LoginResult,
    Me,
    PasswordBody,
    User,
    UserCreate,
    UserPublic,
)
from queue_server.halls.hall import Hall

router = APIRouter(prefix="/api", tags=["auth"])
UserName = Annotated[str, Path(min_length=1, max_length=64)]


def _user_public(user: User) -> UserPublic:
    return UserPublic(username=user.username, role=user.role, display_name=user.display_name,
                      disabled=user.disabled, station=user.station, hall=user.hall or None)


def _device_public(hall: Hall, d: Device) -> DevicePublic:
    assert d.id is not None
    return DevicePublic(id=d.id, name=d.name, kind=d.kind, window=d.window,
                        last_seen=hall.local_iso(d.last_seen), status=d.status, detail=d.detail,
                        revoked=d.revoked)


@router.post("/auth/login", response_model=LoginResult)
async def login(body: LoginBody, request: Request, response: Response, rt: RuntimeDep) -> LoginResult:
    """Log in with a username and password."""
    token, user = await rt.logins.login(body.username, body.password, ip=client_ip(request),
                                        now=rt.clock(), hours=rt.settings.session_hours)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                        secure=rt.settings.cookie_secure,
                        max_age=rt.settings.session_hours * 3600, path="/")
    return LoginResult(token=token, user=_user_public(user))


@router.post("/auth/logout", status_code=204, response_class=Response)
async def logout(request: Request, rt: RuntimeDep) -> Response:
    """End the session."""
    token = bearer_token(request)
    if token:
        await rt.db.write(lambda uow: service.logout(uow, token), lock=False)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=rt.settings.cookie_secure,
                           httponly=True, samesite="strict")
    return response


@router.get("/auth/me", response_model=Me)
async def me(who: AnyCallerDep, rt: RuntimeDep) -> Me:
    """Tell who the caller is (an agent also learns its station)."""
    names = {s.code: s.name for s in rt.hall.config.stations}
    return Me(kind=who.kind, username=who.username, role=who.role,
              display_name=who.display_name, window=who.window, station=who.station,
              station_name=names.get(who.station or ""), hall=who.hall)


@router.post("/admin/users", status_code=201, response_model=UserPublic,
             response_model_exclude_defaults=True)
async def add_user(body: UserCreate, rt: RuntimeDep, who: AdminDep) -> UserPublic:
    """Add a staff user to this hall, or a county-wide manager or admin ("hall": "*")."""
    now, hashed = rt.clock(), await rt.logins.hash(body.password)
    user = await rt.db.write(lambda uow: service.add_user(uow, body, now, hashed, by=who), lock=False)
    return _user_public(user)


@router.post("/admin/users/{username}/disable", response_model=UserPublic)
async def disable_user(username: UserName, rt: RuntimeDep, who: AdminDep) -> UserPublic:
    """Disable a user; their sessions end at once."""
    user = await rt.db.write(lambda uow: service.disable_user(uow, username, by=who), lock=False)
    return _user_public(user)


@router.post("/admin/users/{username}/password", response_model=UserPublic)
async def set_password(username: UserName, body: PasswordBody, rt: RuntimeDep,
                       who: AdminDep) -> UserPublic:
    """Set a user's password; their sessions end at once."""
    hashed = await rt.logins.hash(body.password)
    user = await rt.db.write(lambda uow: service.set_password(uow, username, hashed, by=who), lock=False)
    return _user_public(user)


@router.get("/admin/users", response_model=list[UserPublic], response_model_exclude_defaults=True)
async def list_users(rt: RuntimeDep, _: AdminDep) -> list[UserPublic]:
    """List this hall's staff users."""
    users = await rt.db.read(lambda s: service.list_users(s, rt.hall.code))
    return [_user_public(u) for u in users]


@router.post("/admin/devices", status_code=201, response_model=DeviceCreated)
async def add_device(body: DeviceCreate, rt: RuntimeDep, _: AdminDep) -> DeviceCreated:
    """Register a kiosk, display or pad and return its token once."""
    now = rt.clock()
    device, token = await rt.db.write(lambda uow: service.add_device(uow, body, now), lock=False)
    return DeviceCreated(**_device_public(rt.hall, device).model_dump(), token=token)


@router.get("/admin/devices", response_model=list[DevicePublic])
async def list_devices_admin(rt: RuntimeDep, _: AdminDep) -> list[DevicePublic]:
    """List devices."""
    devices = await rt.db.read(lambda s: service.list_devices(s, rt.hall.code))
    return [_device_public(rt.hall, d) for d in devices]


@router.get("/devices", response_model=list[DevicePublic])
async def list_devices(rt: RuntimeDep, _: ManagerDep) -> list[DevicePublic]:
    """List devices and their last reported status."""
    devices = await rt.db.read(lambda s: service.list_devices(s, rt.hall.code))
    return [_device_public(rt.hall, d) for d in devices]


@router.delete("/admin/devices/{device_id}", status_code=204, response_class=Response)
async def revoke_device(device_id: RowId, rt: RuntimeDep, _: AdminDep) -> Response:
    """Revoke a device token."""
    await rt.db.write(lambda uow: service.revoke_device(uow, device_id), lock=False)
    return Response(status_code=204)


@router.post("/devices/status", status_code=204, response_class=Response)
async def device_status(body: DeviceStatusBody, rt: RuntimeDep, who: DeviceDep) -> Response:
    """Record a device's printer status, for managers to see."""
    now = rt.clock()
    await rt.db.write(lambda uow: service.report_status(uow, who, body, now), lock=False)
    return Response(status_code=204)
