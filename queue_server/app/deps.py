"""Request dependencies: the runtime, who is asking, and what they may do."""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from queue_server.app.runtime import HallRuntime, Runtime
from queue_server.auth.service import Principal
from queue_server.core.bodies import Deferred
from queue_server.core.errors import Forbidden, Unauthorized
from queue_server.db.types import MAX_INT
from queue_server.domain.passes import sign_device, verified_device

SESSION_COOKIE = "hall_session"
DEVICE_COOKIE = "hall_device"


# Row ids are INTEGER columns (32-bit on PostgreSQL): anything larger cannot exist.
MAX_ID = MAX_INT
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]


HALL_SCOPE = "hall_code"  # the ASGI scope key where the hall prefix middleware names the hall


def get_county(conn: HTTPConnection) -> Runtime:
    """Return the county's runtime the app started with; the only place that reads app.state."""
    runtime: Runtime = conn.app.state.runtime
    return runtime


def hall_code(conn: HTTPConnection) -> str:
    """Return the code of the hall a request names: /h/{code}/…, or the default hall."""
    return conn.scope.get(HALL_SCOPE) or get_county(conn).default_code


def hall_prefix(conn: HTTPConnection) -> str:
    """Return the path prefix the request came in under ("" for the default hall unprefixed)."""
    code = conn.scope.get(HALL_SCOPE)
    return f"/h/{code}" if code else ""


def get_runtime(conn: HTTPConnection) -> HallRuntime:
    """Return the runtime of the hall the request names (the prefix middleware checked it exists)."""
    county = get_county(conn)
    return county.halls[conn.scope.get(HALL_SCOPE) or county.default_code]


async def runtime_dep(conn: HTTPConnection) -> HallRuntime:
    """Return the hall's runtime (async: FastAPI runs a plain def dependency in a worker thread)."""
    return get_runtime(conn)


async def county_dep(conn: HTTPConnection) -> Runtime:
    """Return the county's runtime, for the routes that span every hall."""
    return get_county(conn)


# The runtime of the hall the request names: its database, hub, estimator, and the county's shared pieces.
RuntimeDep = Annotated[HallRuntime, Depends(runtime_dep)]
CountyDep = Annotated[Runtime, Depends(county_dep)]


async def fresh_calendar(conn: HTTPConnection) -> None:
    """Bring the county calendar up to date before a request counts working days."""
    await get_county(conn).fresh_calendar()


def bearer_token(conn: HTTPConnection) -> str | None:
    """Return the bearer token, or the session cookie for web pages."""
    header = conn.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return conn.cookies.get(SESSION_COOKIE)


async def get_principal(conn: HTTPConnection) -> Principal | None:
    """Return who is calling, or None for an anonymous request."""
    token = bearer_token(conn)
    if not token or len(token) > 200:
        return None
    runtime = get_runtime(conn)
    # A cached login that needs no network round trip is answered here; a lookup goes to a
    # worker thread, as does the occasional write of a device's liveness.
    principal = runtime.auth.cached(token)
    if principal is None:
        principal = await run_in_threadpool(runtime.auth.principal, token)
    if principal is not None and principal.device_id is not None and runtime.liveness.due(principal.device_id):
        await run_in_threadpool(runtime.liveness.touch, principal.device_id)
    if principal is not None and not principal.belongs_to(hall_code(conn)):
        # Another hall's user or device: here it is neither staff nor a device (403 where one is needed).
        return principal.foreign()
    return principal


PrincipalDep = Annotated[Principal | None, Depends(get_principal)]


AGENT_REFUSED = "村级代办员账号不能使用这项功能"
OTHER_HALL = "这个账号或设备属于其他大厅，不能在本大厅使用"


def _refuse_foreign(principal: Principal) -> None:
    """Refuse another hall's user or device with 403 wherever a user or device is needed."""
    if principal.kind == "foreign":
        raise Forbidden(OTHER_HALL)


async def require_any_caller(principal: PrincipalDep) -> Principal:
    """Require a user (agents included) or a device."""
    if principal is None:
        raise Unauthorized("请先登录")
    _refuse_foreign(principal)
    return principal


async def require_caller(principal: PrincipalDep) -> Principal:
    """Require hall staff or a device; a village agent is refused."""
    who = await require_any_caller(principal)
    if who.is_agent:
        raise Forbidden(AGENT_REFUSED)
    return who


async def require_staff(principal: PrincipalDep) -> Principal:
    """Require a logged-in hall user; a village agent is refused (the one check for every route)."""
    if principal is None:
        raise Unauthorized("请先登录")
    _refuse_foreign(principal)
    if principal.is_agent:
        raise Forbidden(AGENT_REFUSED)
    if not principal.is_staff:
        raise Forbidden("需要工作人员账号")
    return principal


async def require_agent_or_staff(principal: PrincipalDep) -> Principal:
    """Require hall staff or a village agent; what an agent may do there is the use case's rule."""
    if principal is None:
        raise Unauthorized("请先登录")
    _refuse_foreign(principal)
    if not (principal.is_staff or principal.is_agent):
        raise Forbidden("需要工作人员或代办员账号")
    return principal


async def require_manager(principal: PrincipalDep) -> Principal:
    """Require a manager or an admin."""
    who = await require_staff(principal)
    if not who.is_manager:
        raise Forbidden("只有管理人员可以查看")
    return who


async def require_admin(principal: PrincipalDep) -> Principal:
    """Require an admin."""
    who = await require_staff(principal)
    if who.role != "admin":
        raise Forbidden("只有系统管理员可以操作")
    return who


async def require_device(principal: PrincipalDep) -> Principal:
    """Require a device token."""
    if principal is None:
        raise Unauthorized("需要设备令牌")
    _refuse_foreign(principal)
    if principal.kind != "device":
        raise Forbidden("只有设备可以上报状态")
    return principal


async def require_display(principal: PrincipalDep) -> Principal:
    """Require the hall board's device token, or staff."""
    if principal is None:
        raise Unauthorized("需要显示屏设备令牌或工作人员登录")
    _refuse_foreign(principal)
    if not (principal.is_staff or principal.role == "display"):
        raise Forbidden("只有大厅显示屏可以获取取号二维码")
    return principal


async def require_pad_or_staff(principal: PrincipalDep) -> Principal:
    """Require an evaluation pad or staff; which window they may grade is the use case's rule."""
    if principal is None:
        raise Unauthorized("需要评价器设备令牌或工作人员登录")
    _refuse_foreign(principal)
    if principal.is_agent:
        raise Forbidden(AGENT_REFUSED)
    return principal


async def require_county_manager(principal: PrincipalDep) -> Principal:
    """Require a county-wide manager or admin (a hall's own manager is refused)."""
    who = await require_manager(principal)
    if not who.county_wide:
        raise Forbidden("只有县级管理人员可以查看全县情况")
    return who


async def require_county_admin(principal: PrincipalDep) -> Principal:
    """Require a county-wide admin."""
    who = await require_admin(principal)
    if not who.county_wide:
        raise Forbidden("只有县级系统管理员可以操作")
    return who


AnyCallerDep = Annotated[Principal, Depends(require_any_caller)]
CountyManagerDep = Annotated[Principal, Depends(require_county_manager)]
CountyAdminDep = Annotated[Principal, Depends(require_county_admin)]
CallerDep = Annotated[Principal, Depends(require_caller)]
StaffDep = Annotated[Principal, Depends(require_staff)]
AgentOrStaffDep = Annotated[Principal, Depends(require_agent_or_staff)]
ManagerDep = Annotated[Principal, Depends(require_manager)]
AdminDep = Annotated[Principal, Depends(require_admin)]
DeviceDep = Annotated[Principal, Depends(require_device)]
DisplayDep = Annotated[Principal, Depends(require_display)]
PadOrStaffDep = Annotated[Principal, Depends(require_pad_or_staff)]


def client_ip(request: Request) -> str:
    """Return the caller's address."""
    return request.client.host if request.client else "unknown"


def public_base(conn: HTTPConnection, rt: HallRuntime) -> str:
    """Return the public base URL for links residents receive (websockets included), with the hall's prefix."""
    request_base = str(conn.base_url).replace("ws://", "http://").replace("wss://", "https://")
    return rt.base_url(request_base, hall_prefix(conn))


async def base_url(request: HTTPConnection, rt: RuntimeDep) -> str:
    """Return the public base URL for links residents receive."""
    return public_base(request, rt)


BaseUrlDep = Annotated[str, Depends(base_url)]


async def phone_device(conn: HTTPConnection) -> str | None:
    """Return the device id of a genuine (signed) hall_device cookie, or None."""
    return verified_device(get_runtime(conn).hall.secret, conn.cookies.get(DEVICE_COOKIE))


PhoneDeviceDep = Annotated[str | None, Depends(phone_device)]


def give_device_cookie(response: Response, rt: HallRuntime) -> str:
    """Set a new signed hall_device cookie on a response; return its device id."""
    device = secrets.token_urlsafe(16)
    response.set_cookie(DEVICE_COOKIE, sign_device(rt.hall.secret, device), httponly=True,
                        samesite="lax", secure=rt.settings.cookie_secure, max_age=365 * 86400,
                        path="/")
    return device


B = TypeVar("B", bound=BaseModel)


def deferred(model: type[B]) -> Callable[[Request], Awaitable[Deferred[B]]]:
    """Return a dependency that reads the JSON body for a use case to validate after its checks."""
    async def read(request: Request) -> Deferred[B]:
        raw = await request.body()
        if not raw.strip():
            return Deferred(model)
        try:
            return Deferred(model, json.loads(raw))
        except ValueError:
            return Deferred(model, malformed=True)

    return read


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Describe a deferred body in /docs, its nested models inlined."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})
    for prop in schema.get("properties", {}).values():
        ref = prop.pop("$ref", None)
        if ref:
            prop.update(defs[ref.rsplit("/", 1)[1]])
        items = prop.get("items", {})
        if "$ref" in items:
            prop["items"] = defs[items["$ref"].rsplit("/", 1)[1]]
    return {"requestBody": {"content": {"application/json": {"schema": schema}}}}
