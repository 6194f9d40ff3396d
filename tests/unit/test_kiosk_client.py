"""The kiosk client's retries and the receipt it builds, against a fake transport."""

from __future__ import annotations

import json

import httpx
import pytest

from kiosk.client import ApiError, KioskClient, Unreachable
from kiosk.i18n import STRINGS, minutes, modes_text
from kiosk.printing import build_receipt

TICKET = {"id": 1, "number": "A007", "service": "pension-insurance", "category": "A",
          "priority": "elderly", "issued_at": "2024-06-13T09:05:12+08:00", "ahead": 2,
          "eta_minutes": 7.5, "windows": list(range(1, 19)), "preferred_windows": [1, 2, 17],
          "track_url": "http://hall/m/t/1?token=x", "token": "x"}
CATALOG = {"hall": {"name": "普安镇便民服务中心"}, "categories": [{
    "code": "A", "name": "社保医保", "services": [{
        "code": "pension-insurance", "name": "养老保险", "matters": [
            {"materials": ["身份证", "户口簿"], "mode": "onsite"},
            {"materials": ["身份证", "社保卡"], "mode": "deferred", "promised_days": 5}]}]}]}


def test_a_timed_out_issue_is_retried_with_the_same_key() -> None:
    keys: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) == 1:
            raise httpx.ReadTimeout("lost answer", request=request)
        assert json.loads(request.content) == {"service": "s", "channel": "kiosk",
                                               "priority": "veteran"}
        return httpx.Response(200, json=TICKET)

    client = KioskClient("http://hall", "tok", transport=httpx.MockTransport(handler))
    assert client.issue("s", "veteran", "key-1")["number"] == "A007"
    assert keys == ["key-1", "key-1"]


def test_issue_gives_up_after_its_attempts() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused", request=request)

    client = KioskClient("http://hall", "tok", issue_attempts=2,
                         transport=httpx.MockTransport(handler))
    with pytest.raises(Unreachable):
        client.issue("s", None, "k")
    assert len(calls) == 2


def test_a_refusal_is_an_api_error_and_not_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(401, json={"error": {"code": "unauthorized", "message": "no"}})

    client = KioskClient("http://hall", "bad", transport=httpx.MockTransport(handler))
    with pytest.raises(ApiError) as err:
        client.issue("s", None, "k")
    assert err.value.code == "unauthorized" and len(calls) == 1


def test_the_device_token_is_sent_and_the_ws_url_follows_the_server() -> None:
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["auth"] = request.headers.get("Authorization")
        return httpx.Response(204)

    client = KioskClient("https://hall.example:8443/", "T", transport=httpx.MockTransport(handler))
    client.report_status("paper_out", "paper end")
    assert seen["auth"] == "Bearer T"
    assert client.ws_url == "wss://hall.example:8443/ws/hall"


def test_receipt_names_the_preferred_windows_and_the_catalogue_names() -> None:
    receipt = build_receipt(TICKET, CATALOG)
    assert receipt.windows == (1, 2, 17)
    assert (receipt.service_name, receipt.category_name) == ("养老保险", "社保医保")
    assert receipt.materials == ("身份证", "户口簿", "社保卡")
    assert receipt.priority == "elderly" and receipt.number == "A007"


def test_the_receipt_counts_the_wait_from_opening_while_no_serving_window_is_open() -> None:
    hall = [{"number": n, "status": "closed"} for n in range(1, 19)]
    assert build_receipt(TICKET, {**CATALOG, "windows": hall}).windows_open is False
    hall[16]["status"] = "paused"  # window 17 serves pension insurance
    assert build_receipt(TICKET, {**CATALOG, "windows": hall}).windows_open is True
    assert build_receipt(TICKET, CATALOG).windows_open is True  # windows not known: no claim


def test_every_text_exists_in_both_languages() -> None:
    assert set(STRINGS["zh"]) == set(STRINGS["en"])


def test_estimates_round_up_and_modes_are_described() -> None:
    assert (minutes(0), minutes(0.2), minutes(7.5)) == (0, 1, 8)
    matters = CATALOG["categories"][0]["services"][0]["matters"]  # type: ignore[index]
    assert modes_text("zh", matters) == "现场办理、承诺 5 个工作日办结"
