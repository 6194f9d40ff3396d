"""ID cards on a live server, on SQLite and PostgreSQL: identify, tickets for the holder, cases, bookings."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from websockets.sync.client import connect

from queue_server.jobs.rollover import rollover as run_rollover
from tests.support.cases import MovableClock, act, applicant, hold_clock, id_number, new_case
from tests.support.http import assert_error, bearer, staff
from tests.support.live import Api, LiveServer

HOLDER = "欧阳秀英"
NUMBER = id_number("19480312", "562")  # born before Jiange's 510823 existed: valid all the same
MASKED = NUMBER[:6] + "********" + NUMBER[-4:]
OTHER = id_number("19700101", "111")


def rollover(live: LiveServer, now: datetime) -> None:
    """Run the default hall's rollover in the server's loop, as its periodic task does."""
    rt = live.county.halls["puan"]
    assert live._server is not None
    loop = live._server.servers[0].get_loop()
    asyncio.run_coroutine_threadsafe(rt.db.write(lambda uow: run_rollover(uow, now)), loop).result(timeout=60)


class Hall:
    """A live server on a movable clock, with a kiosk, a clerk at window 1 and a manager."""

    def __init__(self, live: LiveServer, url: str) -> None:
        self.live, self.url = live, url
        self.api = Api(live.url)
        self.clock: MovableClock = hold_clock(live, "2026-12-01 10:00")  # a Tuesday
        self.admin = self.api.admin()
        self.clerk = staff(live, self.api, self.admin, "zhoujing")
        self.manager = staff(live, self.api, self.admin, "boss", role="manager")
        self.kiosk = self.device("kiosk")
        self.other_kiosk = self.device("kiosk")

    def device(self, kind: str) -> dict[str, str]:
        r = self.api.http.post("/api/admin/devices", headers=self.admin, json={"name": f"{kind}-x", "kind": kind})
        assert r.status_code == 201, r.text
        return bearer(r.json()["token"])

    def identify(self, headers: dict[str, str] | None = None, name: str = HOLDER,
                 number: str = NUMBER) -> httpx.Response:
        return self.api.http.post("/api/kiosk/identify", headers=headers or self.kiosk,
                                  json={"name": name, "id_number": number})

    def issue(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        return self.api.http.post("/api/tickets", headers=headers or self.kiosk, json={"channel": "kiosk", **body})

    def rows(self, sql: str) -> list[Any]:
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return list(conn.execute(sa.text(sql)).all())
        finally:
            engine.dispose()


@pytest.fixture
def hall(tmp_path: Path, any_db: str) -> Iterator[Hall]:
    live = LiveServer(tmp_path / "var", database_url=any_db).start()
    h = Hall(live, any_db)
    yield h
    h.api.close()
    live.stop()


def test_a_card_with_nothing_booked_gets_an_identity_and_bad_cards_are_refused(hall: Hall) -> None:
    r = hall.identify(number=NUMBER.lower() if NUMBER.endswith("X") else NUMBER)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name_masked"] == "欧阳**" and body["appointments"] == [] and body["cases_ready"] == []
    assert NUMBER not in body["identity"] and HOLDER not in body["identity"] and len(body["identity"]) < 400
    assert_error(hall.identify(number=NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1")), 422, "invalid")
    assert_error(hall.identify(number="51082320991231001X"), 422, "invalid")  # born in the future
    assert_error(hall.identify(name="  "), 422, "invalid")
    assert_error(hall.identify(headers=hall.clerk), 403, "forbidden")
    assert_error(hall.identify(headers=hall.device("display")), 403, "forbidden")
    with httpx.Client(base_url=hall.live.url) as anonymous:
        assert_error(anonymous.post("/api/kiosk/identify", json={"name": HOLDER, "id_number": NUMBER}),
                     401, "unauthorized")


def test_the_ticket_carries_the_holder_to_staff_only_and_never_in_clear(hall: Hall) -> None:
    identity = hall.identify().json()["identity"]
    with connect(f"{hall.live.ws_url}/ws/hall") as ws:
        ws.recv(timeout=10)  # the snapshot
        issued = hall.issue({"service": "pension-insurance", "identity": identity})
        assert issued.status_code == 201, issued.text
        ticket = issued.json()
        assert "applicant" not in ticket  # the kiosk's own answer, printed on a slip: no name
        stream = ws.recv(timeout=10)
    assert HOLDER not in stream and NUMBER not in stream and MASKED not in stream
    # The same Idempotency-Key and body give back the same ticket.
    key = {"Idempotency-Key": "card-1"}
    once = hall.api.http.post("/api/tickets", headers={**hall.kiosk, **key},
                              json={"service": "invoice", "channel": "kiosk", "identity": identity})
    twice = hall.api.http.post("/api/tickets", headers={**hall.kiosk, **key},
                               json={"service": "invoice", "channel": "kiosk", "identity": identity})
    assert (once.status_code, twice.status_code) == (201, 200) and once.json()["id"] == twice.json()["id"]

    assert hall.api.http.post("/api/windows/1/open", headers=hall.clerk).status_code == 200
    called = hall.api.http.post("/api/windows/1/call", headers=hall.clerk, json={"ticket": ticket["id"]})
    assert called.status_code == 200, called.text
    assert called.json()["ticket"]["applicant"] == {"name": HOLDER, "id_number": MASKED}
    windows = hall.api.http.get("/api/windows", headers=hall.clerk).json()
    assert windows[0]["current"]["applicant"] == {"name": HOLDER, "id_number": MASKED}
    # Devices read the windows too (the board, pads): no card holder for them, nor in public reads.
    as_device = hall.api.http.get("/api/windows", headers=hall.kiosk).json()
    assert as_device[0]["current"]["id"] == ticket["id"] and as_device[0]["current"]["applicant"] is None
    public = [hall.api.http.get("/api/queue").text, hall.api.http.get("/api/catalog").text,
              hall.api.http.get(f"/api/tickets/{ticket['id']}", params={"token": ticket["token"]}).text]
    for text in public:
        assert HOLDER not in text and MASKED not in text
    # Neither the ticket row nor the event log holds the name or the number in clear.
    tickets = json.dumps([list(map(str, r)) for r in hall.rows("SELECT * FROM ticket")], ensure_ascii=False)
    events = json.dumps([list(map(str, r)) for r in hall.rows("SELECT * FROM event")], ensure_ascii=False)
    for text in (tickets, events):
        assert NUMBER not in text and HOLDER not in text and NUMBER[-8:] not in text
    sealed = hall.rows(f"SELECT applicant_sealed FROM ticket WHERE id = {ticket['id']}")[0][0]
    assert sealed.startswith("s1.")

    # A case for the current ticket with no applicant: the card holder, in full.
    case = hall.api.http.post("/api/cases", headers=hall.clerk, json={"matter": "M002", "ticket": ticket["id"]})
    assert case.status_code == 201, case.text
    assert case.json()["applicant"] == {"name": HOLDER, "phone": None, "id_number": MASKED}
    stored = hall.rows(f"SELECT applicant_name, applicant_id_number FROM cases WHERE id = {case.json()['id']}")
    assert tuple(stored[0]) == (HOLDER, NUMBER)
    # Under the card's name with a phone added, the number still comes from the card; under another
    # name (a relative applying) it does not.
    same = new_case(hall.api, hall.clerk, "M002", ticket=ticket["id"],
                    applicant={"name": HOLDER, "phone": "13912345678"})
    assert same["applicant"] == {"name": HOLDER, "phone": "139****5678", "id_number": MASKED}
    relative = new_case(hall.api, hall.clerk, "M002", ticket=ticket["id"], applicant={"name": "欧阳明"})
    assert relative["applicant"]["id_number"] is None
    # A ticket without a card needs the applicant named.
    plain = hall.issue({"service": "pension-insurance"}).json()
    assert_error(hall.api.http.post("/api/cases", headers=hall.clerk, json={"matter": "M002", "ticket": plain["id"]}),
                 422, "invalid")
    assert_error(hall.api.http.post("/api/cases", headers=hall.clerk, json={"matter": "M002"}), 422, "invalid")


def test_an_identity_is_refused_when_forged_expired_from_another_kiosk_or_on_another_channel(hall: Hall) -> None:
    identity = hall.identify().json()["identity"]
    forged = identity[:-6] + ("AAAAAA" if not identity.endswith("AAAAAA") else "BBBBBB")
    for bad in (forged, "id1.nonsense", "hello"):
        assert_error(hall.issue({"service": "invoice", "identity": bad}), 422, "invalid")
    assert_error(hall.issue({"service": "invoice", "identity": identity}, hall.other_kiosk), 422, "invalid")
    assert_error(hall.api.http.post("/api/tickets", headers=hall.clerk, json={
        "service": "invoice", "channel": "counter", "identity": identity}), 422, "invalid")
    hall.clock.now += timedelta(minutes=11)
    late = hall.issue({"service": "invoice", "identity": identity})
    assert_error(late, 422, "invalid")
    assert "过期" in late.json()["error"]["message"]
    assert hall.rows("SELECT count(*) FROM ticket")[0][0] == 0  # nothing was issued by any refusal


def test_another_hall_refuses_this_halls_identity(hall: Hall) -> None:
    assert hall.api.http.post("/api/county/halls", headers=hall.admin,
                              json={"code": "xiasi", "name": "下寺镇", "copy_from": "puan"}).status_code == 201
    identity = hall.identify().json()["identity"]
    b = Api(f"{hall.live.url}/h/xiasi")
    r = b.http.post("/api/admin/devices", headers=hall.admin, json={"name": "下寺取号机", "kind": "kiosk"})
    b_kiosk = bearer(r.json()["token"])
    refused = b.http.post("/api/tickets", headers=b_kiosk,
                          json={"service": "invoice", "channel": "kiosk", "identity": identity})
    assert_error(refused, 422, "invalid")
    assert_error(hall.identify(headers=b_kiosk), 403, "forbidden")
    b.close()


def test_a_card_finds_its_booked_appointment_and_checks_it_in_with_one_request(hall: Hall) -> None:
    day = date(2026, 12, 2)
    slots = hall.api.http.get("/api/appointments/slots", params={"service": "medical-insurance",
                                                                 "date": day.isoformat()}).json()
    start = slots[0]["start"]
    booked = hall.api.http.post("/api/appointments", json={
        "service": "medical-insurance", "start": start, "name": HOLDER, "phone": "13800001111",
        "id_number": NUMBER})
    assert booked.status_code == 201, booked.text
    assert "id_number" not in booked.json() and NUMBER not in booked.text
    later = hall.api.http.post("/api/appointments", json={
        "service": "tax-filing", "start": hall.api.http.get("/api/appointments/slots", params={
            "service": "tax-filing", "date": day.isoformat()}).json()[-1]["start"],
        "name": HOLDER, "phone": "13800001111", "id_number": NUMBER})
    assert later.status_code == 201, later.text
    assert_error(hall.api.http.post("/api/appointments", json={
        "service": "invoice", "start": start, "name": "张三", "phone": "13800002222",
        "id_number": NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1")}), 422, "invalid")
    stored = hall.rows("SELECT id_digest FROM appointment ORDER BY id")
    assert all(len(r[0]) == 64 and NUMBER not in r[0] for r in stored)

    assert hall.identify().json()["appointments"] == []  # the day before: nothing to check in yet
    hall.clock.set("2026-12-02 08:40")  # 20 minutes before the 09:00 slot
    found = hall.identify().json()
    assert [a["code"] for a in found["appointments"]] == [booked.json()["code"]]  # not the afternoon one
    a = found["appointments"][0]
    assert a["service"] == "medical-insurance" and a["start"] == start and a["end"]
    assert hall.identify(number=OTHER).json()["appointments"] == []
    one_tap = hall.issue({"service": a["service"], "appointment": a["code"], "identity": found["identity"]})
    assert one_tap.status_code == 201, one_tap.text
    assert one_tap.json()["appointment"]["id"] == booked.json()["id"]
    assert hall.identify().json()["appointments"] == []  # used
    hall.clerk = bearer(hall.api.login("zhoujing", "password-123"))  # yesterday's session has expired
    assert hall.api.http.post("/api/windows/1/open", headers=hall.clerk).status_code == 200
    called = hall.api.http.post("/api/windows/1/call", headers=hall.clerk, json={"ticket": one_tap.json()["id"]})
    assert called.json()["ticket"]["applicant"] == {"name": HOLDER, "id_number": MASKED}


def test_a_card_lists_its_cases_ready_for_pickup_only(hall: Hall) -> None:
    ready = new_case(hall.api, hall.clerk, "M002", applicant=applicant(name=HOLDER, id_no=NUMBER))
    act(hall.api, hall.clerk, ready["id"], "complete", {"result": "approved"})
    still_open = new_case(hall.api, hall.clerk, "M005", applicant=applicant(name=HOLDER, id_no=NUMBER))
    handed = new_case(hall.api, hall.clerk, "M002", applicant=applicant(name=HOLDER, id_no=NUMBER))
    act(hall.api, hall.clerk, handed["id"], "complete", {"result": "approved"})
    act(hall.api, hall.clerk, handed["id"], "deliver", {"method": "pickup"})
    by_agent = new_case(hall.api, hall.manager, "M002", station="V01",
                        applicant=applicant(name=HOLDER, id_no=NUMBER))
    act(hall.api, hall.manager, by_agent["id"], "complete", {"result": "approved"})
    someone_else = new_case(hall.api, hall.clerk, "M002", applicant=applicant(id_no=OTHER))
    act(hall.api, hall.clerk, someone_else["id"], "complete", {"result": "approved"})
    assert still_open["status"] == "accepted"

    cases = hall.identify().json()["cases_ready"]
    assert cases == [{"number": ready["number"], "matter_name": "城乡居民养老保险待遇领取申请", "pickup_window": 18}]
    act(hall.api, hall.clerk, ready["id"], "deliver", {"method": "pickup"})
    assert hall.identify().json()["cases_ready"] == []


def test_the_card_holder_is_erased_with_the_tickets_phone(hall: Hall) -> None:
    identity = hall.identify().json()["identity"]
    ticket = hall.issue({"service": "invoice", "identity": identity}).json()
    keep = hall.live.county.halls["puan"].hall.config.settings.phone_retention_days
    rollover(hall.live, hall.clock.now + timedelta(days=keep))
    assert hall.rows(f"SELECT applicant_sealed FROM ticket WHERE id = {ticket['id']}")[0][0] is not None
    rollover(hall.live, hall.clock.now + timedelta(days=keep + 1))
    assert hall.rows(f"SELECT applicant_sealed FROM ticket WHERE id = {ticket['id']}")[0][0] is None
