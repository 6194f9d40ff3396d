"""The kiosk's call for a guide survives a lost answer: it asks again, and the server answers the same call."""

from __future__ import annotations

import json

import httpx
import pytest

from kiosk.client import ApiError, KioskClient, Unreachable

CALL = {"id": 7, "status": "requested", "kiosk": 3, "kiosk_name": "大厅入口取号机", "reason": None}


def test_a_lost_answer_to_a_call_is_asked_again() -> None:
    bodies: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        if len(bodies) == 1:
            raise httpx.ReadTimeout("the server was slow", request=request)
        return httpx.Response(200, json=CALL)  # the call the first request made

    client = KioskClient("http://hall", "tok", transport=httpx.MockTransport(handler))
    assert client.request_help("cannot_read")["id"] == 7
    assert bodies == [{"reason": "cannot_read"}, {"reason": "cannot_read"}]


def test_a_call_gives_up_after_its_attempts_and_a_refusal_is_not_repeated() -> None:
    calls: list[httpx.Request] = []

    def down(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(Unreachable):
        KioskClient("http://hall", "tok", issue_attempts=3, transport=httpx.MockTransport(down)).request_help()
    assert len(calls) == 3

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(403, json={"error": {"code": "forbidden", "message": "只有取号机可以呼叫导办员"}})

    calls.clear()
    with pytest.raises(ApiError):
        KioskClient("http://hall", "tok", transport=httpx.MockTransport(refuse)).request_help()
    assert len(calls) == 1
