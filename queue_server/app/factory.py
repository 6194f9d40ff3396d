"""Build the FastAPI application."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from queue_server.app.bootstrap import save_admin_password
from queue_server.app.deps import RuntimeDep
from queue_server.app.prefix import HallPrefix
from queue_server.app.runtime import Runtime
from queue_server.appointments.router import router as appointments_router
from queue_server.auth.router import router as auth_router
from queue_server.calendar.router import router as calendar_router
from queue_server.cases.router import router as cases_router
from queue_server.core.clock import Clock
from queue_server.core.errors import ApiError
from queue_server.core.logs import install_access_filter
from queue_server.core.middleware import BodyLimit, SecurityHeaders
from queue_server.core.settings import ServerSettings
from queue_server.county.router import router as county_router
from queue_server.feedback.router import router as feedback_router
from queue_server.help.router import router as help_router
from queue_server.jobs.rollover import rollover
from queue_server.printing.router import router as print_agents_router
from queue_server.readmodel.router import router as catalog_router
from queue_server.realtime.router import router as live_router
from queue_server.sms.router import router as sms_router
from queue_server.stations.router import router as stations_router
from queue_server.stats.router import router as stats_router
from queue_server.tickets.router import router as tickets_router
from queue_server.web import mount_pages
from queue_server.windows.router import router as windows_router

log = logging.getLogger(__name__)


class Health(BaseModel):
    """The answer of /healthz."""

    status: str

STATUS_CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
                429: "rate_limited"}


def error_body(code: str, message: str) -> dict[str, Any]:
    """Return the contract's error shape."""
    return {"error": {"code": code, "message": message}}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg")))
    return "请求内容不正确 (invalid request): " + "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every refusal with the JSON error shape, never a traceback."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body("invalid", _validation_message(exc)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = STATUS_CODES.get(exc.status_code, "invalid" if exc.status_code < 500 else "error")
        message = {404: "找不到这个地址 (not found)",
                   405: "不支持这种请求方法 (method not allowed)"}.get(exc.status_code, str(exc.detail))
        return JSONResponse(error_body(code, message), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, exc: DBAPIError) -> JSONResponse:
        # The database went away (a restart, a full disk): say so clearly; nothing was changed.
        if "full" in str(exc.orig).lower():
            log.error("database storage is full: %s", exc.orig)
            body = error_body("storage_full", "服务器存储空间已满，请联系管理员；已提交的数据不受影响")
        elif exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
            log.warning("database unavailable: %s", exc.orig)
            body = error_body("unavailable", "数据库暂时不可用，请稍后重试")
        else:
            log.exception("database error", exc_info=exc)
            return JSONResponse(error_body("internal", "服务器内部错误，请联系管理员"),
                                status_code=500)
        return JSONResponse(body, status_code=503, headers={"Retry-After": "2"})

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(error_body("internal", "服务器内部错误，请联系管理员"), status_code=500)


async def _rollover_loop(rt: Runtime, interval: float) -> None:
    # Each hall rolls over at its own time, in its own unit of work.
    while True:
        for hall in list(rt.halls.values()):
            try:
                await hall.db.write(lambda uow: rollover(uow, rt.clock()))
            except Exception:
                log.exception("rollover of hall %s failed; will retry", hall.hall.code)
        await asyncio.sleep(interval)


def create_app(settings: ServerSettings | None = None, *, clock: Clock | None = None,
               rollover_interval: float = 30.0) -> FastAPI:
    """Create the queue server application; its runtime is built when it starts."""
    config = settings or ServerSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_access_filter()
        rt = await Runtime.create(config, clock)
        app.state.runtime = rt
        await rt.start()
        if rt.generated_admin_password:
            # Never print the password itself: stdout ends up in system logs for ever.
            where = save_admin_password(config, rt.generated_admin_password)
            print(f"管理员 admin 的初始密码已写入 {where}（仅本机管理员可读）/ "
                  f"admin password written to {where}", flush=True)
        task = asyncio.create_task(_rollover_loop(rt, rollover_interval))
        if config.gc_freeze:
            # Everything built so far lives as long as the process: leave it out of the cyclic
            # collector, whose full passes over it stalled every request in flight.
            gc.freeze()
        if config.gc_young_threshold:
            _, middle, oldest = gc.get_threshold()
            gc.set_threshold(config.gc_young_threshold, middle, oldest)
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await rt.stop()

    app = FastAPI(
        title="乡镇便民服务中心排队叫号系统 API",
        description="Queue server for a town convenience service hall. See docs/api.md.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)

    async def hall_exists(code: str) -> bool:
        return await app.state.runtime.load_hall(code) is not None

    app.add_middleware(HallPrefix, exists=hall_exists)
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    app.add_middleware(SecurityHeaders)

    @app.get("/healthz", tags=["live"], response_model=Health)
    async def healthz(rt: RuntimeDep, response: Response) -> Health:
        """Tell that the server can serve (the hall's, under a prefix); the header names the worker."""
        await rt.db.read(lambda s: s.connection())
        response.headers["X-Worker"] = str(os.getpid())  # which process answered, for operators
        return Health(status="ok")

    # Routes are tried in this order and no path belongs to two of these routers
    # (test_architecture): the busiest (issuing, calling, the board's reads) come first.
    for router in (tickets_router, windows_router, live_router, auth_router, catalog_router,
                   stats_router, calendar_router, cases_router,
                   stations_router, feedback_router, appointments_router, county_router,
                   print_agents_router, help_router, sms_router):
        app.include_router(router)
    mount_pages(app)
    return app


