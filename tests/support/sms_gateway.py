"""A county SMS gateway on a real local socket: records every POST, refuses or hangs when told.

    with SmsGateway() as gw:
        provider = HttpProvider(gw.url, env)
        gw.refuse(2, status=503)          # the next two POSTs get 503
        gw.hang(1)                        # the next POST gets no answer (until stop() or release())
        gw.reply(200, {"Code": "OK"})     # answer later POSTs with this body (a cloud API's shape)
        gw.wait_for(3)                    # block until three POSTs arrived

It also stands in for a cloud SMS endpoint (the SDKs can be pointed at http://127.0.0.1:PORT):
`posts` keeps the path with its query string, the headers and the raw body.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class GatewayPost:
    """One POST as the gateway received it, and the status it answered (None: it hung)."""

    path: str
    headers: dict[str, str]
    body: bytes
    status: int | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def json(self) -> Any:
        """Return the body parsed as JSON."""
        return json.loads(self.body)

    @property
    def query(self) -> dict[str, str]:
        """Return the query string's fields and any form fields of the body, one value each."""
        fields = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        if self.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            fields.update({k: v[0] for k, v in parse_qs(self.body.decode()).items()})
        return fields


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes: without this, Nagle's algorithm and the client's
    # delayed ACK hold every answer about 40 ms, which no real gateway does.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        gw = self.server.gateway
        length = int(self.headers.get("Content-Length") or 0)
        post = GatewayPost(self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
        action = gw._record(post)
        if action is None:  # told to hang: no answer, then the connection closes
            gw._released.wait(gw.hang_limit)
            self.close_connection = True
            return
        status, body, content_type = action
        post.status = status
        payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    gateway: SmsGateway


class SmsGateway:
    """A threaded HTTP server that records POSTs; start() in-process, read .posts, stop()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, hang_limit: float = 30.0) -> None:
        self.host, self.port, self.hang_limit = host, port, hang_limit
        self.posts: list[GatewayPost] = []
        self._cond = threading.Condition()
        self._refusals: list[tuple[int, bytes | Any]] = []
        self._hangs = 0
        self._answer: tuple[int, bytes | Any, str] = (200, {"status": "accepted"}, "application/json")
        self._released = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SmsGateway:
        """Bind and serve in a background thread; port 0 picks a free port."""
        server = _Server((self.host, self.port), _Handler)
        server.gateway = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"sms-gateway:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release hung requests, stop serving and free the port."""
        self._released.set()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SmsGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Return the URL to POST messages to."""
        return f"http://{self.host}:{self.port}/sms"

    @property
    def base(self) -> str:
        """Return the server's root URL (for an SDK endpoint)."""
        return f"http://{self.host}:{self.port}"

    def refuse(self, n: int, status: int = 503, body: bytes | Any = b"gateway busy") -> None:
        """Answer the next n POSTs with this status (and body) instead of the usual answer."""
        with self._cond:
            self._refusals.extend([(status, body)] * n)

    def hang(self, n: int = 1) -> None:
        """Give the next n POSTs no answer at all, until release() or stop()."""
        with self._cond:
            self._hangs += n
            self._released.clear()

    def release(self) -> None:
        """Let hung requests go (their connections close without an answer)."""
        self._released.set()

    def reply(self, status: int, body: bytes | Any, content_type: str = "application/json") -> None:
        """Answer every later POST (after refusals and hangs) with this status and body."""
        with self._cond:
            self._answer = (status, body, content_type)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[GatewayPost]:
        """Block until at least count POSTs arrived; return them (raise on timeout)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.posts) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"SMS gateway got {len(self.posts)} of {count} POSTs")
                self._cond.wait(left)
            return list(self.posts)

    def _record(self, post: GatewayPost) -> tuple[int, bytes | Any, str] | None:
        with self._cond:
            self.posts.append(post)
            self._cond.notify_all()
            if self._hangs:
                self._hangs -= 1
                return None
            if self._refusals:
                status, body = self._refusals.pop(0)
                return status, body, "text/plain; charset=utf-8" if isinstance(body, bytes) else "application/json"
            return self._answer
