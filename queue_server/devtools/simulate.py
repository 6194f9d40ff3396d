"""Simulate a busy hall day through the real HTTP API: residents, kiosks, clerks and pads."""

from __future__ import annotations

import heapq
import itertools
import random
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

OUTCOME_WEIGHTS = {"done": 70, "deferred": 15, "proxy": 10, "incomplete": 5}
PRIORITIES = ["elderly", "elderly", "disabled", "veteran", "pregnant"]
# A share of simulated residents ask for texts; the demo hall sends them through the `log` provider.
SMS_SHARE = 0.3
FAKE_PHONE = 13800000000
# Relative arrival intensity by local hour: a morning peak and a smaller afternoon one.
HOURLY = {8: 0.6, 9: 1.6, 10: 1.5, 11: 1.0, 12: 0.3, 13: 0.5, 14: 1.2, 15: 1.0, 16: 0.7, 17: 0.2}


@dataclass
class Report:
    """What a simulation did."""

    issued: int = 0
    served: int = 0
    no_show: int = 0
    transferred: int = 0
    evaluated: int = 0
    errors: list[str] = field(default_factory=list)


class _Client:
    def __init__(self, base_url: str, admin: dict[str, str]) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.admin = admin

    def post(self, path: str, headers: dict[str, str], json: Any = None) -> httpx.Response:
        return self.http.post(path, headers=headers, json=json)

    def make_user(self, name: str, role: str, display: str) -> dict[str, str]:
        # A random password per simulated clerk: nobody can log in as one with a known password.
        password = secrets.token_urlsafe(12)
        r = self.post("/api/admin/users", self.admin, {
            "username": name, "password": password, "role": role, "display_name": display})
        r.raise_for_status()
        login = self.post("/api/auth/login", {}, {"username": name, "password": password})
        login.raise_for_status()
        return {"Authorization": "Bearer " + login.json()["token"]}

    def make_device(self, kind: str, window: int | None = None) -> dict[str, str]:
        body: dict[str, Any] = {"name": f"模拟{kind}-{uuid.uuid4().hex[:4]}", "kind": kind}
        if window is not None:
            body["window"] = window
        r = self.post("/api/admin/devices", self.admin, body)
        r.raise_for_status()
        return {"Authorization": "Bearer " + r.json()["token"]}


CLERK_NAMES = ["张丽", "王强", "李敏", "刘洋", "陈静", "杨帆", "赵磊", "黄娟", "周涛", "吴霞",
               "徐鹏", "孙燕", "马超", "朱琳", "胡军", "郭芳", "何平", "林红"]


def simulate(base_url: str, admin_headers: dict[str, str], *, tickets: int = 300, seed: int = 1,
             windows: int = 8, hours: tuple[int, int] = (8, 18), speed: float = 600.0,
             advance: Callable[[float], None] | None = None, service_minutes: float = 6.0,
             leave_open: bool = True) -> Report:
    """Run a busy day: `tickets` arrivals spread over `hours`, served by `windows` clerks.

    Time moves by `advance(seconds)` when given (a test clock), else by real sleeps divided by
    `speed`. The server is only ever driven over HTTP.
    """
    rng = random.Random(seed)
    c = _Client(base_url, admin_headers)
    report = Report()
    tag = uuid.uuid4().hex[:4]
    kiosk = c.make_device("kiosk")
    clerks: dict[int, dict[str, str]] = {}
    for n in range(1, windows + 1):
        clerks[n] = c.make_user(f"sim{tag}{n}", "clerk", CLERK_NAMES[(n - 1) % len(CLERK_NAMES)])
        c.post(f"/api/windows/{n}/open", clerks[n])
    served_by: set[str] = set()
    r = c.http.get("/api/windows", headers=admin_headers)
    for w in r.json():
        if 1 <= w["number"] <= windows:
            served_by.update(w["services"])
    services = sorted(served_by)
    weights = [rng.uniform(0.3, 3.0) for _ in services]

    # Arrival times (seconds from the opening hour), drawn from the hourly profile.
    span = [(h, HOURLY.get(h, 0.5)) for h in range(hours[0], hours[1])]
    total = sum(w for _, w in span)
    arrivals: list[float] = []
    for h, w in span:
        k = round(tickets * w / total)
        arrivals += [(h - hours[0]) * 3600 + rng.uniform(0, 3600) for _ in range(k)]
    arrivals = sorted(arrivals)[:tickets]

    counter = itertools.count()
    queue: list[tuple[float, int, str, int]] = []  # (at, tiebreak, action, window)
    for at in arrivals:
        heapq.heappush(queue, (at, next(counter), "arrive", 0))
    for n in clerks:
        heapq.heappush(queue, (rng.uniform(0, 120), next(counter), "call", n))
    clock = 0.0

    def later(delay: float, action: str, n: int) -> None:
        heapq.heappush(queue, (clock + delay, next(counter), action, n))

    def move_to(at: float) -> None:
        nonlocal clock
        if at > clock:
            if advance is not None:
                advance(at - clock)
            else:
                time.sleep((at - clock) / speed)
            clock = at

    end = (hours[1] - hours[0]) * 3600
    while queue:
        at, _, action, n = heapq.heappop(queue)
        if at > end:
            break
        move_to(at)
        try:
            if action == "arrive":
                body: dict[str, Any] = {"service": rng.choices(services, weights)[0],
                                        "channel": "kiosk"}
                headers = kiosk
                if rng.random() < 0.12:
                    body["priority"] = rng.choice(PRIORITIES)
                if rng.random() < 0.1:  # a clerk takes a number for someone at the counter
                    body["channel"], headers = "counter", clerks[rng.choice(list(clerks))]
                if rng.random() < SMS_SHARE:  # 短信提醒: a placeholder number, clearly fake (138 0000 0000 + n)
                    body["phone"] = str(FAKE_PHONE + report.issued)
                r = c.post("/api/tickets", headers, body)
                report.issued += r.status_code == 201
            elif action == "call":
                r = c.post(f"/api/windows/{n}/call-next", clerks[n])
                if r.status_code == 204:
                    later(rng.uniform(30, 90), "call", n)
                elif r.status_code == 200:
                    later(rng.uniform(10, 45), "answer", n)
                else:
                    later(60, "call", n)
            elif action == "answer":
                if rng.random() < 0.07:
                    c.post(f"/api/windows/{n}/no-show", clerks[n])
                    report.no_show += 1
                    later(rng.uniform(5, 20), "call", n)
                else:
                    c.post(f"/api/windows/{n}/start", clerks[n])
                    later(max(40.0, rng.gammavariate(2.0, service_minutes * 30)), "finish", n)
            elif action == "finish":
                if rng.random() < 0.04:
                    target = rng.choice([m for m in clerks if m != n] or [n])
                    c.post(f"/api/windows/{n}/transfer", clerks[n], {"window": target})
                    report.transferred += 1
                else:
                    outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
                    r = c.post(f"/api/windows/{n}/finish", clerks[n], {"outcome": outcome})
                    report.served += r.status_code == 200
                    if r.status_code == 200 and rng.random() < 0.7:
                        grade = rng.choices([5, 4, 3, 2, 1], [60, 25, 8, 4, 3])[0]
                        e = c.post(f"/api/windows/{n}/evaluation", clerks[n], {"grade": grade})
                        report.evaluated += e.status_code == 201
                later(rng.uniform(5, 30), "call", n)
        except httpx.HTTPError as exc:  # keep the day going; report what failed
            report.errors.append(f"{action}@{n}: {exc}")
    if not leave_open:
        for n in clerks:  # hand the windows back so that the next run's clerks can open them
            c.post(f"/api/windows/{n}/finish", clerks[n], {"outcome": "done"})
            c.post(f"/api/windows/{n}/close", clerks[n])
    c.http.close()
    return report


def run_forever(base_url: str, admin_headers: dict[str, str], *, windows: int = 6,
                tickets_per_hour: int = 60, speed: float = 60.0, seed: int | None = None,
                stop: Callable[[], bool] = lambda: False) -> None:
    """Keep simulating hour after hour in (accelerated) real time until stop() says so."""
    rng = random.Random(seed)
    while not stop():
        simulate(base_url, admin_headers, tickets=tickets_per_hour, seed=rng.randrange(1 << 30),
                 windows=windows, hours=(9, 10), speed=speed, leave_open=False)
