"""Appointments on a live server, on SQLite and PostgreSQL: booking, refusals, check-in, missed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.support.http import assert_error, kiosk, staff
from tests.support.live import Api, LiveServer
from tests.support.rollover import run_rollover

pytestmark = pytest.mark.server(db="both")

SH = ZoneInfo("Asia/Shanghai")
VET = "veterans-benefits"  # one dedicated window plus a share of the comprehensive ones


class Hall:
    """A live server whose clock the test moves."""

    def __init__(self, live: LiveServer) -> None:
        self.live, self.api = live, Api(live.url)
        self.now = datetime.now(SH).replace(hour=10, minute=0, second=0, microsecond=0)
        live.runtime.clock = lambda: self.now
        self.cal = live.runtime.hall.calendar

    def working_after(self, day: date) -> date:
        """Return the first working day after a day."""
        day += timedelta(days=1)
        while not self.cal.is_working(day):
            day += timedelta(days=1)
        return day

    def slots(self, service: str, day: date) -> list[dict[str, Any]]:
        r = self.api.http.get("/api/appointments/slots", params={"service": service, "date": day.isoformat()})
        assert r.status_code == 200, r.text
        return list(r.json())

    def book(self, service: str, start: str, phone: str, name: str = "王小明") -> httpx.Response:
        return self.api.http.post("/api/appointments", json={
            "service": service, "start": start, "name": name, "phone": phone})


@pytest.fixture
def hall(live: LiveServer) -> Iterator[Hall]:
    h = Hall(live)
    yield h
    h.api.close()


def phone(n: int) -> str:
    return f"139{n:08d}"


def test_two_phones_racing_for_the_last_place_exactly_one_wins_and_every_refusal(hall: Hall) -> None:
    day = hall.working_after(hall.now.date())
    slots = hall.slots(VET, day)
    assert slots and slots[0]["start"].startswith(f"{day.isoformat()}T09:00")
    first = slots[0]
    cap = first["capacity"]
    assert cap >= 1 and first["available"] == cap
    for i in range(cap - 1):
        assert hall.book(VET, first["start"], phone(i)).status_code == 201
    answers: list[httpx.Response] = []
    barrier = threading.Barrier(2)

    def race(n: int) -> None:
        with httpx.Client(base_url=hall.live.url, timeout=30) as client:
            barrier.wait()
            answers.append(client.post("/api/appointments", json={
                "service": VET, "start": first["start"], "name": "李四", "phone": phone(100 + n)}))

    threads = [threading.Thread(target=race, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in answers) == [201, 409], [r.text for r in answers]
    assert_error(next(r for r in answers if r.status_code == 409), 409, "slot_full")
    after = hall.slots(VET, day)[0]
    assert after["booked"] == cap and after["available"] == 0
    won = next(r for r in answers if r.status_code == 201).json()
    assert won["status"] == "booked" and len(won["code"]) == 6 and won["code"].isdigit()
    assert won["manage_url"].endswith(f"/m/book?id={won['id']}&token={won['token']}")

    # A start that is not a slot, an unknown service, today and a non-working day.
    assert_error(hall.book(VET, f"{day.isoformat()}T09:10:00+08:00", phone(200)), 422, "invalid")
    assert_error(hall.book("nope", first["start"], phone(200)), 422, "invalid")
    assert hall.slots(VET, hall.now.date()) == []
    weekend = next(day + timedelta(days=i) for i in range(1, 10) if not hall.cal.is_working(day + timedelta(days=i)))
    assert hall.slots(VET, weekend) == []
    # One active booking per phone per service.
    second = hall.slots(VET, day)[1]["start"]
    assert_error(hall.book(VET, second, phone(0)), 409, "conflict")
    assert hall.book("tax-filing", second, phone(0)).status_code == 201  # another service is fine

    # The holder reads and cancels; a second cancel is refused; the place comes back.
    r = hall.api.http.get(f"/api/appointments/{won['id']}", params={"token": "wrong"})
    assert_error(r, 403, "forbidden")
    mine = hall.api.http.get(f"/api/appointments/{won['id']}", params={"token": won["token"]}).json()
    assert mine["code"] == won["code"] and mine["status"] == "booked"
    r = hall.api.http.post(f"/api/appointments/{won['id']}/cancel", params={"token": won["token"]})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert_error(hall.api.http.post(f"/api/appointments/{won['id']}/cancel", params={"token": won["token"]}),
                 409, "appointment_not_active")
    assert hall.slots(VET, day)[0]["available"] == 1
    assert hall.book(VET, first["start"], phone(100)).status_code == 201  # the freed place, same phone

    # Staff see the day's list with masked phones; the public does not.
    admin = hall.api.admin()
    clerk = staff(hall.live, hall.api, admin, "li")
    with httpx.Client(base_url=hall.live.url) as public:
        assert_error(public.get("/api/appointments", params={"date": day.isoformat()}), 401, "unauthorized")
    listed = hall.api.http.get("/api/appointments", params={"date": day.isoformat()}, headers=clerk).json()
    assert listed and all("****" in a["phone"] and "token" not in a and "code" not in a for a in listed)

    # At most per_ip_daily bookings a day from one address, then 429.
    made = len(listed)
    services = sorted(hall.live.runtime.hall.services)
    n, codes = 300, []
    while True:
        r = hall.book(services[n % len(services)], second, phone(n))
        n += 1
        if r.status_code != 201:
            break
        codes.append(r)
        assert n < 400
    assert_error(r, 429, "rate_limited")
    assert made + len(codes) >= 20


def test_check_in_edges_missed_at_rollover_and_the_no_show_limit(hall: Hall) -> None:
    day = hall.working_after(hall.now.date())
    slot = next(s for s in hall.slots(VET, day) if s["start"].startswith(f"{day.isoformat()}T10:00"))
    start = datetime.fromisoformat(slot["start"])
    end = datetime.fromisoformat(slot["end"])
    a = hall.book(VET, slot["start"], phone(1)).json()
    late = hall.book("tax-filing", slot["start"], phone(1)).json()
    others = [hall.book(svc, hall.slots(svc, day)[-1]["start"], phone(1)).json()
              for svc in ("invoice", "gas-service")]
    assert all(o["status"] == "booked" for o in others)
    admin = hall.api.admin()
    k = kiosk(hall.api, admin)

    def check_in(code: str, service: str = VET) -> httpx.Response:
        return hall.api.http.post("/api/tickets", headers=k, json={
            "service": service, "channel": "kiosk", "appointment": code})

    hall.now = start - timedelta(minutes=31)
    r = check_in(a["code"])
    assert_error(r, 409, "appointment_not_active")
    assert "30 分钟" in r.json()["error"]["message"]
    assert_error(check_in(a["code"], "tax-filing"), 409, "appointment_not_active")
    assert_error(check_in("000000" if a["code"] != "000000" else "000001"), 409, "appointment_not_active")
    hall.now = start - timedelta(minutes=35)
    earlier = [hall.api.issue(k, VET) for _ in range(2)]  # walk-ins who came 6 minutes before
    hall.now = start - timedelta(minutes=29)
    r = check_in(a["code"])
    assert r.status_code == 201, r.text
    ticket = r.json()
    assert ticket["appointment"] == {"id": a["id"], "start": slot["start"]}
    assert ticket["ahead"] == 0 and "预约" not in ticket["number"]
    clerk = staff(hall.live, hall.api, hall.api.admin(), "li")  # a session of the moved clock's day
    assert hall.api.http.post("/api/windows/9/open", headers=clerk).status_code == 200
    r = hall.api.http.post("/api/windows/9/call-next", headers=clerk)
    assert r.status_code == 200 and r.json()["ticket"]["id"] == ticket["id"], r.text  # ahead of both walk-ins
    assert hall.api.http.post("/api/windows/9/finish", headers=clerk, json={"outcome": "done"}).status_code == 200
    r = hall.api.http.post("/api/windows/9/call-next", headers=clerk)
    assert r.status_code == 200 and r.json()["ticket"]["id"] == earlier[0]["id"], r.text
    assert_error(check_in(a["code"]), 409, "appointment_not_active")  # used
    used = hall.api.http.get(f"/api/appointments/{a['id']}", params={"token": a["token"]}).json()
    assert used["status"] == "used" and used["ticket"] == ticket["id"]
    hall.now = end + timedelta(seconds=1)
    r = check_in(late["code"], "tax-filing")
    assert_error(r, 409, "appointment_not_active")
    assert "已经结束" in r.json()["error"]["message"]

    # Missed at the rollover: this one and two more of the same phone, then the limit refuses it.
    next_morning = datetime.combine(day + timedelta(days=1), time(0, 5), tzinfo=SH)
    hall.now = next_morning
    events = run_rollover(hall.live, next_morning)
    missed = [e for e in events if e["type"] == "appointment.missed"]
    assert {e["appointment"]["id"] for e in missed} == {late["id"], *(o["id"] for o in others)}
    assert all(set(e["appointment"]) == {"id", "service", "status"} and "phone" not in e for e in missed)
    state = hall.api.http.get(f"/api/appointments/{late['id']}", params={"token": late["token"]}).json()
    assert state["status"] == "missed"
    manager = staff(hall.live, hall.api, hall.api.admin(), "zhang", role="manager")
    figures = hall.api.http.get("/api/stats/appointments", headers=manager,
                                params={"from": day.isoformat(), "to": day.isoformat()}).json()
    assert figures == {"booked": 4, "used": 1, "missed": 3, "cancelled": 0, "waiting": 0, "no_show_pct": 75.0}
    wang = staff(hall.live, hall.api, hall.api.admin(), "wang")
    assert_error(hall.api.http.get("/api/stats/appointments", headers=wang), 403, "forbidden")
    bookable = hall.slots(VET, hall.working_after(next_morning.date()))[0]["start"]
    refused = hall.book(VET, bookable, phone(1))
    assert_error(refused, 403, "forbidden")
    assert "3 次预约未到" in refused.json()["error"]["message"]
    assert hall.book(VET, bookable, phone(9)).status_code == 201

    # Past the phone retention period the rollover erases names and phones of ended bookings.
    hall.now = next_morning + timedelta(days=100)
    run_rollover(hall.live, hall.now)
    zhao = staff(hall.live, hall.api, hall.api.admin(), "zhao")
    old = hall.api.http.get(f"/api/appointments/{late['id']}", headers=zhao).json()
    assert old["status"] == "missed" and "phone" not in old and old["name"] == ""
