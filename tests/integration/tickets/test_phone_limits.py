"""Phone tickets over real HTTP: the hall pass, the entry modes and the anti-hoarding limits."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.http import assert_error
from tests.support.live import Api, LiveServer
from tests.support.phones import hall_pass, mobile, phone_cookie, phone_ticket, waiting


def assert_refused(r: httpx.Response, status: int, code: str, text: str) -> None:
    """Check a refusal's status, code and Chinese message."""
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code
    assert text in err["message"]


def test_a_valid_pass_from_this_or_the_previous_rotation_issues_a_phone_ticket(
        live: LiveServer) -> None:
    r = mobile(live, "invoice", pass_=hall_pass(live), cookie=phone_cookie(live))
    assert r.status_code == 201, r.text
    t = r.json()
    assert t["channel"] == "mobile" and t["status"] == "waiting" and t["number"].startswith("G")
    assert t["track_url"].endswith(f"/m/t/{t['id']}?token={t['token']}")
    previous = mobile(live, "pension-insurance", pass_=hall_pass(live, ago=60),
                      cookie=phone_cookie(live))
    assert previous.status_code == 201, previous.text
    assert waiting(live) == 2


@pytest.mark.parametrize("kind", ["none", "expired", "forged", "other_secret", "other_hall",
                                  "future", "garbage"])
def test_a_phone_ticket_without_a_genuine_fresh_pass_is_refused(
        live: LiveServer, kind: str) -> None:
    good = hall_pass(live)
    bucket = int(good.split(".")[0])
    token = {
        "none": None,
        "expired": hall_pass(live, ago=180),  # three rotations ago
        "forged": f"{bucket}.{'A' * 16}",
        "other_secret": hall_pass(live, secret=b"not-the-hall-secret"),
        "other_hall": hall_pass(live, hall="another-town"),
        "future": hall_pass(live, ago=-120),
        "garbage": "not-a-pass",
    }[kind]
    r = mobile(live, "invoice", pass_=token)
    assert_refused(r, 403, "pass_required", "请扫描大厅显示屏上的二维码")
    assert waiting(live) == 0


def test_the_pass_check_tells_the_page_why_a_pass_is_not_accepted(live: LiveServer) -> None:
    good = hall_pass(live)

    def check(token: str | None) -> dict[str, Any]:
        params = {"pass": token} if token is not None else {}
        r = httpx.get(f"{live.url}/api/hall-pass/check", params=params)
        assert r.status_code == 200, r.text
        return dict(r.json())

    assert check(good) == {"valid": True, "mode": "rotating", "reason": "valid"}
    assert check(hall_pass(live, ago=60))["valid"] is True
    assert check(None)["reason"] == "missing"
    assert check(hall_pass(live, ago=180))["reason"] == "expired"
    assert check(good.split(".")[0] + ".AAAAAAAAAAAAAAAA")["reason"] == "invalid"
    assert check(hall_pass(live, secret=b"other"))["reason"] == "invalid"
    assert check("².abc")["reason"] == "invalid"
    assert check("9" * 20 + ".abc")["reason"] == "invalid"
    too_long = httpx.get(f"{live.url}/api/hall-pass/check", params={"pass": "x" * 201})
    assert too_long.status_code == 422


@pytest.mark.server(hall_settings={"mobile_entry": "open"})
def test_open_mode_needs_no_pass_but_keeps_the_limits(live: LiveServer) -> None:
    check = httpx.get(f"{live.url}/api/hall-pass/check").json()
    assert check["valid"] is True and check["mode"] == "open"
    cookie = phone_cookie(live)
    first = mobile(live, "invoice", cookie=cookie)
    assert first.status_code == 201, first.text
    again = mobile(live, "invoice", cookie=cookie)
    assert_refused(again, 429, "rate_limited", "请勿重复取号")
    assert waiting(live) == 1


@pytest.mark.server(hall_settings={"mobile_entry": "off"})
def test_off_mode_refuses_phone_tickets_even_with_a_pass(live: LiveServer) -> None:
    check = httpx.get(f"{live.url}/api/hall-pass/check", params={"pass": hall_pass(live)}).json()
    assert check == {"valid": False, "mode": "off", "reason": "off"}
    r = mobile(live, "invoice", pass_=hall_pass(live))
    assert_refused(r, 403, "forbidden", "暂未开放手机取号")
    api = Api(live.url)
    try:
        kiosk, _ = api.device("kiosk")
        assert api.issue(kiosk, "invoice")["channel"] == "kiosk"
    finally:
        api.close()
    assert waiting(live) == 1


def test_one_waiting_ticket_per_service_per_phone_number(live: LiveServer) -> None:
    first = mobile(live, "invoice", pass_=hall_pass(live), phone="13800001234",
                   cookie=phone_cookie(live))
    assert first.status_code == 201, first.text
    # Another device with the same phone number is still the same resident.
    again = mobile(live, "invoice", pass_=hall_pass(live), phone="13800001234",
                   cookie=phone_cookie(live))
    assert_refused(again, 429, "rate_limited", "您已有这项业务的号码在等候")
    other_phone = mobile(live, "invoice", pass_=hall_pass(live), phone="13900005678",
                         cookie=phone_cookie(live))
    assert other_phone.status_code == 201
    other_service = mobile(live, "pension-insurance", pass_=hall_pass(live), phone="13800001234",
                           cookie=phone_cookie(live))
    assert other_service.status_code == 201
    assert waiting(live) == 3
    t = first.json()
    cancel = httpx.post(f"{live.url}/api/tickets/{t['id']}/cancel", params={"token": t["token"]})
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    after = mobile(live, "invoice", pass_=hall_pass(live), phone="13800001234",
                   cookie=phone_cookie(live))
    assert after.status_code == 201, after.text


def test_one_waiting_ticket_per_service_per_device_cookie(live: LiveServer) -> None:
    cookie = phone_cookie(live)
    first = mobile(live, "invoice", pass_=hall_pass(live), cookie=cookie)
    assert first.status_code == 201
    again = mobile(live, "invoice", pass_=hall_pass(live), cookie=cookie)
    assert_refused(again, 429, "rate_limited", "请勿重复取号")
    with_phone = mobile(live, "invoice", pass_=hall_pass(live), cookie=cookie, phone="13700000000")
    assert_refused(with_phone, 429, "rate_limited", "请勿重复取号")
    assert mobile(live, "invoice", pass_=hall_pass(live),
                  cookie=phone_cookie(live)).status_code == 201  # another phone
    assert waiting(live) == 2


def test_three_tickets_a_day_per_phone_number_even_after_cancelling(live: LiveServer) -> None:
    services = ["invoice", "pension-insurance", "rural-housing"]
    tickets = []
    for s in services:
        r = mobile(live, s, pass_=hall_pass(live), phone="13800001234")
        assert r.status_code == 201, r.text
        tickets.append(r.json())
    fourth = mobile(live, "veterans-benefits", pass_=hall_pass(live), phone="13800001234")
    assert_refused(fourth, 429, "rate_limited", "每天最多取 3 个号")
    t = tickets[0]
    httpx.post(f"{live.url}/api/tickets/{t['id']}/cancel", params={"token": t["token"]})
    still = mobile(live, "veterans-benefits", pass_=hall_pass(live), phone="13800001234")
    assert_refused(still, 429, "rate_limited", "每天最多取 3 个号")
    assert waiting(live) == 2


def test_three_tickets_a_day_per_device_cookie(live: LiveServer) -> None:
    cookie = phone_cookie(live)
    first = mobile(live, "invoice", pass_=hall_pass(live), cookie=cookie)
    assert first.status_code == 201
    for s in ["pension-insurance", "rural-housing"]:
        assert mobile(live, s, pass_=hall_pass(live), cookie=cookie).status_code == 201
    fourth = mobile(live, "disability-certificate", pass_=hall_pass(live), cookie=cookie,
                    phone="13600000000")
    assert_refused(fourth, 429, "rate_limited", "每天最多取 3 个号")
    assert waiting(live) == 3


@pytest.mark.server(hall_settings={"mobile_limits": {"ip_requests_per_minute": 4}})
def test_phone_requests_are_rate_limited_per_ip_but_kiosks_are_not(live: LiveServer) -> None:
    cookies = [phone_cookie(live) for _ in range(5)]
    codes = [mobile(live, "invoice", pass_=hall_pass(live), cookie=c).status_code
             for c in cookies[:4]]
    assert codes == [201, 201, 201, 201]
    fifth = mobile(live, "invoice", pass_=hall_pass(live), cookie=cookies[4])
    assert_refused(fifth, 429, "rate_limited", "请求过于频繁")
    assert waiting(live) == 4
    api = Api(live.url)
    try:
        kiosk, _ = api.device("kiosk")
        for _ in range(6):
            api.issue(kiosk, "invoice")
    finally:
        api.close()
    assert waiting(live) == 10


@pytest.mark.server(hall_settings={"mobile_limits": {"service_daily_cap": {"invoice": 2}}})
def test_a_service_daily_cap_limits_phone_tickets_only(live: LiveServer) -> None:
    def phone(service: str) -> httpx.Response:
        return mobile(live, service, pass_=hall_pass(live), cookie=phone_cookie(live))

    assert phone("invoice").status_code == 201
    assert phone("invoice").status_code == 201
    assert_refused(phone("invoice"), 429, "rate_limited", "名额已满")
    assert phone("pension-insurance").status_code == 201
    api = Api(live.url)
    try:
        kiosk, _ = api.device("kiosk")
        assert api.issue(kiosk, "invoice")["number"].startswith("G")
    finally:
        api.close()
    assert waiting(live) == 4


def test_phones_without_a_cookie_count_against_their_address(live: LiveServer) -> None:
    assert phone_ticket(live, "invoice").status_code == 201
    again = phone_ticket(live, "invoice")  # dropping the cookie no longer makes a new phone
    assert_error(again, 429, "rate_limited")
    forged = phone_ticket(live, "invoice", cookie="abcdefghijk.forgedforgedforged12")
    assert_error(forged, 429, "rate_limited")
    assert phone_ticket(live, "invoice", cookie=phone_cookie(live)).status_code == 201  # a real second phone


@pytest.mark.server(hall_settings={"mobile_limits": {"ip_tickets_per_day": 2}})
def test_per_address_daily_counts_live_in_the_database_and_survive_a_restart(live: LiveServer) -> None:
    assert phone_ticket(live, "invoice", cookie=phone_cookie(live)).status_code == 201
    assert phone_ticket(live, "invoice", cookie=phone_cookie(live)).status_code == 201
    assert_error(phone_ticket(live, "invoice", cookie=phone_cookie(live)), 429, "rate_limited")
    live.stop()
    live.start()
    assert_error(phone_ticket(live, "rural-housing", cookie=phone_cookie(live)), 429, "rate_limited")


@pytest.mark.server(hall_settings={"mobile_limits": {"tickets_per_pass_period": 2}})
def test_the_hall_caps_phone_tickets_per_pass_period(live: LiveServer) -> None:
    assert phone_ticket(live, "invoice", cookie=phone_cookie(live)).status_code == 201
    assert phone_ticket(live, "rural-housing", cookie=phone_cookie(live)).status_code == 201
    capped = phone_ticket(live, "pension-insurance", cookie=phone_cookie(live))
    assert_error(capped, 429, "rate_limited")
    assert "稍后" in capped.json()["error"]["message"]


def test_a_phone_retry_after_a_lost_answer_gets_the_same_ticket(live: LiveServer) -> None:
    first = phone_ticket(live, "invoice", key="lost-answer-1")
    assert first.status_code == 201, first.text
    retry = phone_ticket(live, "invoice", key="lost-answer-1")  # still no cookie
    assert retry.status_code == 200 and retry.json()["id"] == first.json()["id"]
    later = phone_ticket(live, "invoice", key="lost-answer-1", cookie=phone_cookie(live))
    assert later.status_code == 200 and later.json()["id"] == first.json()["id"]
    waiting = sum(c["waiting"] for c in httpx.get(live.url + "/api/queue").json()["categories"])
    assert waiting == 1
