"""What every request meets before a route: the body size limit and the browser security headers."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from tests.support.http import assert_error
from tests.support.live import LiveServer


def test_bodies_over_64_kib_get_413_too_large(live: LiveServer) -> None:
    big = {"username": "admin", "password": "x" * 70_000}
    assert_error(httpx.post(live.url + "/api/auth/login", json=big), 413, "too_large")

    def chunks() -> Iterator[bytes]:  # streamed, no Content-Length
        yield b'{"username": "admin", "password": "'
        for _ in range(100):
            yield b"y" * 1024
        yield b'"}'

    r = httpx.post(live.url + "/api/auth/login", content=chunks(),
                   headers={"Content-Type": "application/json"})
    assert_error(r, 413, "too_large")


def test_every_page_and_answer_carries_the_security_headers(live: LiveServer) -> None:
    for path in ("/display", "/display/window/1", "/clerk", "/manage", "/m", "/m/guide",
                 "/pad/1", "/docs", "/api/queue", "/api/nope"):
        r = httpx.get(live.url + path)
        csp = r.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp, path
        assert r.headers.get("x-content-type-options") == "nosniff", path
        assert r.headers.get("referrer-policy") == "no-referrer", path
