"""Every route is also served under /h/{code}: the hall a request names, checked before routing.

The middleware leaves the path as it came and sets the ASGI ``root_path`` to ``/h/{code}``:
Starlette routes on the path after the root path, and ``request.base_url`` carries it, so every
URL the server hands out (``track_url``, ``manage_url``, the pass URL) keeps the hall's prefix.
A code no hall has gets ``404 not_found`` (a websocket is refused at the handshake).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from queue_server.app.deps import HALL_SCOPE

PREFIX = re.compile(r"^/h/([^/]*)(?=/|$)")
CODE = re.compile(r"^[a-z0-9-]{2,32}$")


class HallPrefix:
    """Name the request's hall from its /h/{code} prefix, or refuse a hall the county does not have."""

    def __init__(self, app: ASGIApp, *, exists: Callable[[str], Awaitable[bool]]) -> None:
        self.app = app
        self._exists = exists

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        root = scope.get("root_path", "")
        path: str = scope["path"]
        match = PREFIX.match(path[len(root):] if path.startswith(root) else path)
        if match is None:
            await self.app(scope, receive, send)
            return
        code = match.group(1)
        if not CODE.match(code) or not await self._exists(code):
            await self._refuse(scope, receive, send, code)
            return
        scope = {**scope, "root_path": root + match.group(0), HALL_SCOPE: code}
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, code: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = json.dumps({"error": {"code": "not_found", "message": f"没有这个大厅：{code[:40]}"}},
                          ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 404,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
