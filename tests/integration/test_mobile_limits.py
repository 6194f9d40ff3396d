"""Phone tickets over real HTTP: the hall pass, the entry modes and the anti-hoarding limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from queue_server.domain.passes import make_pass
from tests.support.live import Api, LiveServer

DEFAULT_HALL = (Path(__file__).resolve().parents[2] / "queue_server" / "hallconfig"
                / "default_hall.yaml")
SECRET = b"test-secret"  # what LiveServer sets HALL_SECRET_KEY to
HALL = "puan"


def hall_pass(live: LiveServer, ago: int = 0, secret: bytes = SECRET, hall: str = HALL) -> str:
    """Return a pass minted ``ago`` seconds before the server's now."""
    token, _ = make_pass(secret, hall, live.runtime.clock() - timedelta(seconds=ago), 60)
    return token


def mobile(live: LiveServer, service: str, *, pass_: str | None = None, phone: str | None = None,
           cookie: str | None = None) -> httpx.Response:
    """Ask for a phone ticket as a fresh HTTP client: only the cookie given is sent."""
    body: dict[str, Any] = {"service": service, "channel": "mobile"}
    if pass_ is not None:
        body["pass"] = pass_
    if phone is not None:
        body["phone"] = phone
    headers = {"Cookie": f"hall_device={cookie}"} if cookie else {}
    return httpx.post(f"{live.url}/api/tickets", json=body, headers=headers, timeout=30)


def phone_cookie(live: LiveServer) -> str:
    """Open /m from the board's QR code as a new phone; return the signed device cookie it gets."""
    r = httpx.get(f"{live.url}/m", params={"pass": hall_pass(live)})
    value = r.cookies.get("hall_device")
    assert r.status_code == 200 and value, "opening /m?pass= sets the hall_device cookie"
    assert "httponly" in r.headers["set-cookie"].lower()
    return str(value)


def waiting(live: LiveServer) -> int:
    """Return how many tickets the board shows waiting, over all categories."""
    data = httpx.get(f"{live.url}/api/queue").json()
    return sum(int(c["waiting"]) for c in data["categories"])


def assert_refused(r: httpx.Response, status: int, code: str, text: str) -> None:
    """Check a refusal's status, code and Chinese message."""
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code
    assert text in err["message"]


@pytest.fixture
def hall_with(tmp_path: Path) -> Iterator[Any]:
    """Start servers on a modified copy of the default hall; stop them afterwards."""
    started: list[LiveServer] = []

    def start(**settings: Any) -> LiveServer:
        data = yaml.safe_load(DEFAULT_HALL.read_text(encoding="utf-8"))
        limits = settings.pop("mobile_limits", None)
        data["settings"].update(settings)
        if limits:
            data["settings"].setdefault("mobile_limits", {}).update(limits)
        path = tmp_path / f"hall{len(started)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        server = LiveServer(tmp_path / f"var{len(started)}", config=path).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


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


def test_open_mode_needs_no_pass_but_keeps_the_limits(hall_with: Any) -> None:
    live = hall_with(mobile_entry="open")
    check = httpx.get(f"{live.url}/api/hall-pass/check").json()
    assert check["valid"] is True and check["mode"] == "open"
    cookie = phone_cookie(live)
    first = mobile(live, "invoice", cookie=cookie)
    assert first.status_code == 201, first.text
    again = mobile(live, "invoice", cookie=cookie)
    assert_refused(again, 429, "rate_limited", "请勿重复取号")
    assert waiting(live) == 1


def test_off_mode_refuses_phone_tickets_even_with_a_pass(hall_with: Any) -> None:
    live = hall_with(mobile_entry="off")
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


def test_phone_requests_are_rate_limited_per_ip_but_kiosks_are_not(hall_with: Any) -> None:
    live = hall_with(mobile_limits={"ip_requests_per_minute": 4})
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


def test_a_service_daily_cap_limits_phone_tickets_only(hall_with: Any) -> None:
    live = hall_with(mobile_limits={"service_daily_cap": {"invoice": 2}})
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


def test_the_phone_pages_are_served_and_the_pass_check_is_documented(live: LiveServer) -> None:
    for path, text in [("/m", "手机取号"), ("/m/guide", "能办吗"), ("/m/t/1", "我的号码")]:
        r = httpx.get(live.url + path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert text in r.text
    spec = httpx.get(f"{live.url}/openapi.json").json()
    assert "/api/hall-pass/check" in spec["paths"]
    assert "/m" not in spec["paths"]
