"""Redacting resident tokens from access-log lines."""

from __future__ import annotations

import pytest

from queue_server.core.logs import redact


@pytest.mark.parametrize(("text", "expected"), [
    ("/api/tickets/7?token=abc", "/api/tickets/7?token=[redacted]"),
    ("/m/t/7?lang=en&TOKEN=abc&x=1", "/m/t/7?lang=en&TOKEN=[redacted]&x=1"),
    ("token=abc", "token=[redacted]"),
    ("/m/t/7?mytoken=abc", "/m/t/7?mytoken=abc"),
    ("/api/tickets?service=invoice", "/api/tickets?service=invoice"),
    ("/api/tickets", "/api/tickets"),
    ("127.0.0.1:5555", "127.0.0.1:5555"),
])
def test_only_token_values_are_replaced(text: str, expected: str) -> None:
    assert redact(text) == expected
