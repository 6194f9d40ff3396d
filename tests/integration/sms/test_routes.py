"""Who gets a text, the outbox for managers, its figures and the admin's test, over a live server."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.integration.sms.conftest import SmsHall
from tests.support.http import assert_error

PHONE = "13812341234"
OTHER = "13912345678"


def _mobile(hall: SmsHall, phone: str, service: str = "invoice", **extra: object) -> dict[str, object]:
    r = httpx.post(f"{hall.live.url}/api/tickets", json={"service": service, "channel": "mobile",
                                                          "phone": phone, **extra}, timeout=30)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_phone_ticket_is_texted_only_when_it_asked(sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall(hall={"mobile_entry": "open"})
    hall.open()
    silent = _mobile(hall, OTHER)
    asked = _mobile(hall, PHONE, "pension-insurance", sms=True)  # one per service from one address
    hall.call()
    hall.finish()
    hall.call()
    post, = hall.gateway.wait_for(1)
    assert post.json["phone"] == PHONE and post.json["params"]["number"] == asked["number"]
    assert [m["params"]["number"] for m in hall.outbox()["messages"]] == [asked["number"]]
    assert silent["number"] != asked["number"]


def test_a_kiosk_registers_a_phone_after_issuing_and_a_clerk_can_too(sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall()
    hall.open()
    t = hall.issue()
    other = hall.issue()
    r = hall.api.http.post(f"/api/tickets/{t['id']}/sms", headers=hall.kiosk, json={"phone": "+86 138-1234-1234"})
    assert r.status_code == 200, r.text
    assert r.json() == {"ticket": t["id"], "phone": "138****1234", "sms": True}
    r = hall.api.http.post(f"/api/tickets/{other['id']}/sms", headers=hall.clerk, json={"phone": OTHER})
    assert r.status_code == 200, r.text
    hall.call()
    post, = hall.gateway.wait_for(1)
    assert post.json["phone"] == PHONE and post.json["params"]["number"] == t["number"]
    # Refusals, in Chinese, changing nothing.
    assert_error(hall.api.http.post(f"/api/tickets/{other['id']}/sms", headers=hall.kiosk,
                                    json={"phone": "12345"}), 422, "invalid")
    assert "11 位" in hall.api.http.post(f"/api/tickets/{other['id']}/sms", headers=hall.kiosk,
                                        json={"phone": "0571-8888888"}).json()["error"]["message"]
    assert_error(hall.api.http.post(f"/api/tickets/{t['id']}/sms", headers=hall.kiosk, json={"phone": OTHER}),
                 409, "ticket_not_waiting")
    assert_error(hall.api.http.post("/api/tickets/999999/sms", headers=hall.kiosk, json={"phone": OTHER}),
                 404, "not_found")
    assert_error(httpx.post(f"{hall.live.url}/api/tickets/{other['id']}/sms", json={"phone": OTHER}, timeout=30),
                 401, "unauthorized")
    hall.finish()
    hall.call()
    second = hall.gateway.wait_for(2)[1]
    assert second.json["phone"] == OTHER  # the refused requests changed nothing


def test_the_outbox_is_for_managers_with_phones_masked_and_filters_checked(
        sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall()
    hall.open()
    hall.gateway.refuse(100, status=500)  # every try fails for now
    t = hall.issue(PHONE)
    hall.call()
    hall.gateway.wait_for(1)
    listed = hall.outbox()
    assert listed["total"] == 1
    m, = listed["messages"]
    assert set(m) >= {"id", "kind", "phone", "template", "params", "status", "attempts", "created_at", "sent_at"}
    assert m["phone"] == "138****1234" and PHONE not in str(listed)
    assert m["created_at"].endswith("+08:00") and m["sent_at"] is None  # the hall's time, as every time
    assert m["params"] == {"number": t["number"], "window": "3"}
    assert hall.outbox("?status=sent,failed")["total"] == 0
    assert hall.outbox("?status=queued")["total"] == 1
    today = hall.live.runtime.hall.local_date(hall.live.runtime.clock()).isoformat()
    assert hall.outbox(f"?from={today}&to={today}")["total"] == 1
    assert hall.outbox("?from=2020-01-01&to=2020-01-02")["total"] == 0
    assert_error(hall.api.http.get("/api/sms?status=lost", headers=hall.manager), 422, "invalid")
    assert_error(hall.api.http.get("/api/sms?from=2026-13-01", headers=hall.manager), 422, "invalid")
    assert_error(hall.api.http.get("/api/sms?from=2026-12-02&to=2026-12-01", headers=hall.manager), 422, "invalid")
    assert_error(hall.api.http.get("/api/sms", headers=hall.clerk), 403, "forbidden")
    assert_error(hall.api.http.get("/api/sms/stats", headers=hall.clerk), 403, "forbidden")
    assert_error(httpx.get(f"{hall.live.url}/api/sms", timeout=30), 401, "unauthorized")
    stats = hall.api.http.get("/api/sms/stats", headers=hall.manager).json()
    assert stats["from"] == stats["to"] == today
    assert stats["days"][0]["queued"] == 1 and stats["total"]["delivery_rate"] is None


def test_stats_count_each_status_and_list_failures_with_their_reason(sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall()
    hall.open()
    r = hall.api.http.post("/api/sms/test", headers=hall.admin, json={"phone": PHONE})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "sent" and r.json()["attempts"] == 1 and r.json()["provider"] == "http"
    hall.gateway.refuse(1, status=403, body=f"sign name not approved for {OTHER}".encode())
    r = hall.api.http.post("/api/sms/test", headers=hall.admin, json={"phone": OTHER})
    failed = r.json()
    assert failed["status"] == "failed" and failed["attempts"] == 1  # a test is tried once, now
    assert failed["reason"].startswith("HTTP 403") and OTHER not in failed["reason"]
    assert "139****5678" in failed["reason"]
    assert len(hall.gateway.posts) == 2
    stats = hall.api.http.get("/api/sms/stats", headers=hall.manager).json()
    assert stats["total"]["sent"] == 1 and stats["total"]["failed"] == 1
    assert stats["total"]["delivery_rate"] == 50.0 and stats["days"][0]["delivery_rate"] == 50.0
    failure, = stats["failures"]
    assert failure["id"] == failed["id"] and failure["phone"] == "139****5678" and failure["reason"] == failed["reason"]
    # Only an admin sends tests; a bad phone is refused before anything is sent.
    assert_error(hall.api.http.post("/api/sms/test", headers=hall.manager, json={"phone": PHONE}), 403, "forbidden")
    assert_error(hall.api.http.post("/api/sms/test", headers=hall.admin, json={"phone": "1381234"}), 422, "invalid")
    assert_error(hall.api.http.post("/api/sms/test", headers=hall.admin, json={}), 422, "invalid")
    assert len(hall.gateway.posts) == 2


def test_the_kiosk_client_registers_a_phone_and_reads_a_refusal_in_chinese(
        sms_hall: Callable[..., SmsHall]) -> None:
    from kiosk.client import ApiError as KioskRefusal
    from kiosk.client import KioskClient

    hall = sms_hall()
    token = hall.kiosk["Authorization"].split(" ", 1)[1]
    client = KioskClient(hall.live.url, token)
    t = client.issue("invoice", None, "key-1")
    assert client.register_sms(str(t["id"]), PHONE) == {"ticket": t["id"], "phone": "138****1234", "sms": True}
    try:
        client.register_sms(str(t["id"]), "2345")
    except KioskRefusal as exc:
        assert exc.status == 422 and exc.message == "手机号码应为以 1 开头的 11 位数字"
    else:
        raise AssertionError("a bad number is refused")
