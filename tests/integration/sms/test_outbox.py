"""Texts queued with their cause and sent through a local gateway, over a live server on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from tests.integration.sms.conftest import SmsHall

PHONE = "13812341234"
OTHER = "13912345678"


def test_a_called_ticket_with_a_phone_is_texted_once_and_a_recall_sends_no_second(
        sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall()
    hall.open()
    t = hall.issue(PHONE)
    called = hall.call()
    assert called["id"] == t["id"]
    post, = hall.gateway.wait_for(1)
    assert post.json["kind"] == "called" and post.json["phone"] == PHONE
    assert post.json["params"] == {"number": t["number"], "window": "3"}
    assert post.headers["idempotency-key"] == post.json["id"]
    assert hall.api.http.post("/api/windows/3/recall", headers=hall.clerk).status_code == 200
    # A later ticket's text shows the sender has looked again since the recall.
    hall.finish()
    other = hall.issue(OTHER)
    hall.call()
    hall.message("called", number=other["number"])
    assert [p.json["phone"] for p in hall.posts("called")] == [PHONE, OTHER]
    m = hall.message("called", number=t["number"])
    assert m["status"] == "sent" and m["attempts"] == 1 and m["phone"] == "138****1234"
    assert m["sent_at"] is not None and m["template"] == "您的号码 {number} 已到，请到 {window} 号窗口办理"
