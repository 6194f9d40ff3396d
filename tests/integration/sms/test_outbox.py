"""Texts queued with their cause and sent through a local gateway, over a live server on SQLite and PostgreSQL."""

from __future__ import annotations

import time
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
    answered = time.monotonic()
    assert called["id"] == t["id"]
    post, = hall.gateway.wait_for(1)
    assert post.at - answered < 2.0  # sent within 2 s of the commit
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


def test_ahead_goes_to_a_ticket_issued_further_back_when_it_first_has_ahead_at_or_fewer(
        sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall(ahead_at=2)
    hall.open()
    near = [hall.issue(f"1370000000{i}") for i in range(3)]  # 0, 1 and 2 ahead: within ahead_at
    far = hall.issue(PHONE)  # 3 ahead
    hall.call()  # near[0] is called: far now has 2 ahead
    m = hall.message("ahead")
    assert m["params"] == {"number": far["number"], "ahead": "2"} and m["status"] == "sent"
    # The same pass over the queue looked at the nearer tickets: none of them gets one, now or later.
    hall.finish()
    hall.call()
    hall.message("called", number=near[1]["number"])
    aheads = [p.json for p in hall.posts("ahead")]
    assert [(a["phone"], a["params"]["number"]) for a in aheads] == [(PHONE, far["number"])]
    assert [x["kind"] for x in hall.outbox("?status=sent")["messages"]].count("ahead") == 1


def test_a_refused_try_is_retried_with_the_same_id_and_counted(sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall()
    hall.open()
    hall.gateway.refuse(1, status=503, body=f"busy for {PHONE}".encode())
    t = hall.issue(PHONE)
    hall.call()
    first, second = hall.gateway.wait_for(2)
    assert first.status == 503 and second.status == 200
    assert first.json["id"] == second.json["id"]
    assert 0 < second.at - first.at < 5  # the first retry comes within 5 s
    m = hall.message("called", number=t["number"])
    assert m["status"] == "sent" and m["attempts"] == 2 and m["id"] == first.json["id"]


def test_quiet_hours_drop_a_call_and_hold_ahead_until_they_end(sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall(clock="2026-12-01 20:50", quiet_hours=["21:00", "08:00"], ahead_at=1)
    hall.open()
    first = hall.issue(OTHER)
    hall.issue("13700000001")
    far = hall.issue(PHONE)  # 2 ahead
    hall.clock.set("2026-12-01 21:10")
    hall.call()
    dropped = hall.message("called", number=first["number"])
    assert dropped["status"] == "dropped" and dropped["attempts"] == 0
    ahead = _eventually_queued(hall, "ahead")
    assert ahead["params"] == {"number": far["number"], "ahead": "1"}
    assert hall.row(str(ahead["id"])).due_at == hall.clock.at("2026-12-02 08:00")
    assert hall.gateway.posts == []
    hall.clock.set("2026-12-02 08:00")
    post, = hall.gateway.wait_for(1)
    assert post.json["kind"] == "ahead" and post.json["phone"] == PHONE


def _eventually_queued(hall: SmsHall, kind: str) -> dict[str, object]:
    from tests.support.wait import eventually

    return dict(eventually(lambda: next((m for m in hall.outbox("?status=queued")["messages"]
                                          if m["kind"] == kind), None), timeout=10, what=f"a queued {kind}"))


def test_a_case_completed_for_pickup_texts_its_applicant(sms_hall: Callable[..., SmsHall]) -> None:
    from tests.support.cases import act, applicant, new_case

    hall = sms_hall()
    case = new_case(hall.api, hall.clerk, applicant=applicant(phone=PHONE))
    silent = new_case(hall.api, hall.clerk, applicant=applicant(phone=None))
    for c in (case, silent):
        act(hall.api, hall.clerk, c["id"], "complete", {"result": "approved"})
    post, = hall.gateway.wait_for(1)
    assert post.json["kind"] == "case_ready" and post.json["phone"] == PHONE
    assert post.json["params"] == {"case": case["number"], "matter": case["matter_name"], "window": "18"}
    m = hall.message("case_ready")
    assert m["status"] == "sent" and m["phone"] == "138****1234"
    assert hall.outbox()["total"] == 1


def test_an_appointment_is_reminded_at_16_on_the_working_day_before_and_a_cancelled_one_is_not(
        sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall(clock="2026-12-01 10:00", quiet_hours=["21:00", "08:00"])  # a Tuesday
    slots = hall.api.http.get("/api/appointments/slots",
                              params={"service": "veterans-benefits", "date": "2026-12-02"}).json()
    start = slots[0]["start"]
    booked = []
    for phone in (PHONE, OTHER):
        r = hall.api.http.post("/api/appointments", json={"service": "veterans-benefits", "start": start,
                                                          "name": "王小明", "phone": phone})
        assert r.status_code == 201, r.text
        booked.append(r.json())
    r = hall.api.http.post(f"/api/appointments/{booked[1]['id']}/cancel", params={"token": booked[1]["token"]})
    assert r.status_code == 200, r.text
    queued = hall.outbox("?status=queued")["messages"]
    assert len(queued) == 1 and queued[0]["kind"] == "appointment"
    assert hall.row(queued[0]["id"]).due_at == hall.clock.at("2026-12-01 16:00")
    assert queued[0]["params"]["code"] == booked[0]["code"] and queued[0]["params"]["start"] == "明天 9:00"
    assert hall.row(hall.outbox("?status=dropped")["messages"][0]["id"]).reason == "预约已取消"
    hall.clock.set("2026-12-01 16:00")
    post, = hall.gateway.wait_for(1)
    assert post.json["kind"] == "appointment" and post.json["phone"] == PHONE
    assert post.json["text"] == f"您预约了明天 9:00 退役军人优抚业务，预约码 {booked[0]['code']}"


def test_a_gateway_that_hangs_on_one_message_does_not_hold_the_next(sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall()
    hall.open()
    assert hall.api.http.post("/api/windows/4/open", headers=hall.manager).status_code == 200
    hall.gateway.hang(1)
    first = hall.issue(PHONE)
    second = hall.issue(OTHER)
    hall.call()
    hall.gateway.wait_for(1)
    r = hall.api.http.post("/api/windows/4/call-next", headers=hall.manager)
    assert r.status_code == 200 and r.json()["ticket"]["id"] == second["id"]
    m = hall.message("called", number=second["number"])
    assert m["status"] == "sent"
    # Meanwhile the first is still waiting for its answer: claimed, tried once, not recorded.
    stuck = next(x for x in hall.outbox()["messages"] if x["params"]["number"] == first["number"])
    assert stuck["status"] == "queued" and stuck["attempts"] == 1
    hall.gateway.release()
    assert hall.message("called", timeout=20, number=first["number"])["status"] == "sent"


def test_a_ticket_called_again_after_a_transfer_gets_no_second_text(sms_hall: Callable[..., SmsHall]) -> None:
    hall = sms_hall()
    hall.open()
    assert hall.api.http.post("/api/windows/4/open", headers=hall.manager).status_code == 200
    t = hall.issue(PHONE)
    hall.call()
    hall.gateway.wait_for(1)
    r = hall.api.http.post("/api/windows/3/transfer", headers=hall.clerk, json={"window": 4})
    assert r.status_code == 200, r.text
    r = hall.api.http.post("/api/windows/4/call-next", headers=hall.manager)
    assert r.status_code == 200 and r.json()["ticket"]["id"] == t["id"]
    later = hall.issue(OTHER)
    hall.call()
    hall.message("called", number=later["number"])
    assert [p.json["phone"] for p in hall.posts("called")] == [PHONE, OTHER]
    mine = [m for m in hall.outbox()["messages"] if m["params"]["number"] == t["number"]]
    assert len(mine) == 1 and mine[0]["params"]["window"] == "3"
