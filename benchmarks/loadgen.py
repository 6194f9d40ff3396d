"""A lean HTTP/1.1 client for load generation: keep-alive sockets, requests encoded by hand.

httpx spends 2.5–3 ms of CPU on each request here, as much as the server it measures, and on a
2-core machine that CPU comes out of the server's share and out of every latency. This client
spends a small fraction of that, so the figures are the server's. It speaks only what the
benchmarks need: one request at a time on each connection, bodies with a Content-Length.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Reply:
    """A response: status and body."""

    status: int
    body: bytes

    def json(self) -> Any:
        """Parse the body as JSON."""
        return json.loads(self.body)

    @property
    def text(self) -> str:
        """Return the body as text, for assertion messages."""
        return self.body.decode("utf-8", "replace")


class Connection:
    """One keep-alive connection to the server."""

    def __init__(self, base: str, headers: dict[str, str] | None = None) -> None:
        url = urlsplit(base)
        self._host, self._port = url.hostname or "127.0.0.1", url.port or 80
        self._fixed = f"Host: {self._host}:{self._port}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> Connection:
        self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._writer is not None:
            self._writer.close()
            await self._writer.wait_closed()

    async def post(self, path: str, payload: Any = None, headers: dict[str, str] | None = None) -> Reply:
        """POST a JSON body (or none) and return the reply."""
        body = b"" if payload is None else json.dumps(payload).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        kind = "Content-Type: application/json\r\n" if payload is not None else ""
        head = f"POST {path} HTTP/1.1\r\n{self._fixed}{extra}{kind}Content-Length: {len(body)}\r\n\r\n"
        return await self.send(head.encode() + body)

    async def send(self, request: bytes) -> Reply:
        """Send an encoded request and read its reply."""
        assert self._reader is not None and self._writer is not None, "use `async with`"
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = next((int(line.split(b":", 1)[1]) for line in lines[1:]
                       if line[:15].lower() == b"content-length:"), None)
        if length is None and status in (204, 304):
            length = 0
        if length is None:
            raise RuntimeError(f"no Content-Length in the reply: {head!r}")
        return Reply(status, await self._reader.readexactly(length) if length else b"")
