"""Simulate weeks of cases (办件) through the real HTTP API: onsite, deferred and proxy matters,
some suspended for missing materials, most completed on time, a few late, some withdrawn, and
village agents' cases and 家能办 batches (simulate_agents.py) worked at the hall like the others.

Time moves only through ``set_time`` (the demo's shared clock), the way simulate.py moves it
through ``advance``; without it every case is accepted now and none can be late yet.
"""

from __future__ import annotations

import heapq
import itertools
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from queue_server.devtools.agents import VillageAgents

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["秀英", "建国", "桂兰", "志强", "淑珍", "德明", "玉兰", "国华", "春梅", "文斌", "小芳", "永福"]
# 现场办 most often; 延时办 and 代办 are what the due dates and the on-time rate are about.
MODE_WEIGHTS = {"onsite": 45, "deferred": 40, "proxy": 15}


@dataclass
class CaseReport:
    """What a case simulation did."""

    accepted: int = 0
    completed: int = 0
    late: int = 0
    suspended: int = 0
    withdrawn: int = 0
    village: int = 0  # agent and home cases submitted by the simulated agents
    errors: list[str] = field(default_factory=list)


def _resident(rng: random.Random) -> dict[str, Any]:
    body: dict[str, Any] = {"name": rng.choice(SURNAMES) + rng.choice(GIVEN)}
    if rng.random() < 0.8:
        body["phone"] = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
    return body


def _matters(http: httpx.Client) -> dict[str, list[dict[str, Any]]]:
    by_mode: dict[str, list[dict[str, Any]]] = {m: [] for m in MODE_WEIGHTS}
    for cat in http.get("/api/catalog").json()["categories"]:
        for svc in cat["services"]:
            for m in svc["matters"]:
                by_mode["proxy" if not m["handled_here"] else m["mode"]].append(m)
    return {k: v for k, v in by_mode.items() if v}


def simulate_cases(base_url: str, admin_headers: dict[str, str], *, days: int = 30, per_day: int = 10,
                   seed: int = 1, now: datetime | None = None, tz: str = "Asia/Shanghai",
                   set_time: Callable[[datetime | None], None] | None = None) -> CaseReport:
    """Accept cases over the last ``days`` days and play their lives forward to now."""
    rng, report, zone = random.Random(seed), CaseReport(), ZoneInfo(tz)
    end = (now or datetime.now(UTC)).astimezone(zone)
    if set_time is None:
        days = 0  # without a movable clock, history cannot be made: accept today's cases only
    http = httpx.Client(base_url=base_url, timeout=30)
    name, password = f"simcase{secrets.token_hex(3)}", secrets.token_urlsafe(12)
    http.post("/api/admin/users", headers=admin_headers, json={
        "username": name, "password": password, "role": "clerk", "display_name": "模拟受理员"}).raise_for_status()
    token = http.post("/api/auth/login", json={"username": name, "password": password}).json()["token"]
    clerk = {"Authorization": "Bearer " + token}
    agents = VillageAgents.create(http, admin_headers, rng)
    matters = _matters(http)
    modes = [m for m in MODE_WEIGHTS if m in matters]
    order = itertools.count()
    plan: list[tuple[datetime, int, str, dict[str, Any]]] = []
    for back in range(days, -1, -1):
        day = (end - timedelta(days=back)).date()
        if day.weekday() >= 5:
            continue
        for _ in range(rng.randint(per_day // 2, per_day + per_day // 2)):
            at = datetime(day.year, day.month, day.day, 9, tzinfo=zone) + timedelta(minutes=rng.uniform(0, 480))
            if at < end:
                heapq.heappush(plan, (at, next(order), "accept", {}))
        for at, data in agents.plan_day(day, zone, rng):
            if at < end:
                heapq.heappush(plan, (at, next(order), "village", data))

    def later(at: datetime, action: str, data: dict[str, Any]) -> None:
        if at < end:
            heapq.heappush(plan, (at, next(order), action, data))

    def on(day: date, hour: float) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(hours=hour)

    def follow(case: dict[str, Any], matter: dict[str, Any], at: datetime) -> None:
        """Plan an open case's life: withdrawn, suspended first, or processed and completed."""
        due = date.fromisoformat(case["due_date"])
        roll = rng.random()
        if roll < 0.03:
            later(at + timedelta(days=rng.randint(1, 4)), "withdraw", case)
        elif roll < 0.2 and matter["materials"]:
            later(at + timedelta(hours=rng.uniform(0.2, 30)), "suspend", {**case, "m": matter})
        else:
            later(at + timedelta(hours=rng.uniform(1, 20)), "process", case)
            late = rng.random() < 0.08
            finish = due + timedelta(days=rng.randint(1, 3)) if late else due - timedelta(
                days=rng.randint(0, max(0, (due - at.date()).days - 1)))
            later(on(max(finish, at.date()), rng.uniform(9, 17)) + timedelta(minutes=30), "complete", case)

    village = matters.get("deferred", []) + matters.get("proxy", [])  # what a village brings to town

    try:
        while plan:
            at, _, action, data = heapq.heappop(plan)
            if set_time is not None:
                set_time(at.astimezone(UTC))
            try:
                if action == "accept":
                    mode = rng.choices(modes, [MODE_WEIGHTS[m] for m in modes])[0]
                    matter = rng.choice(matters[mode])
                    r = http.post("/api/cases", headers=clerk, json={
                        "matter": matter["code"], "applicant": _resident(rng),
                        "received_materials": matter["materials"][:rng.randint(0, len(matter["materials"]))]})
                    r.raise_for_status()
                    case = r.json()
                    report.accepted += 1
                    if case["status"] == "accepted":  # onsite: already in the resident's hands
                        follow(case, matter, at)
                elif action == "village" and village:
                    for case, matter in agents.submit(data, village, lambda: _resident(rng), rng):
                        report.accepted += 1
                        report.village += 1
                        if case["status"] == "accepted":
                            follow(case, matter, at)
                elif action == "suspend":
                    r = http.post(f"/api/cases/{data['id']}/suspend", headers=clerk, json={
                        "missing": rng.sample(data["m"]["materials"], k=min(2, len(data["m"]["materials"])))})
                    report.suspended += r.status_code == 200
                    later(at + timedelta(days=rng.randint(1, 5)), "resume", data)
                elif action == "resume":
                    r = http.post(f"/api/cases/{data['id']}/resume", headers=clerk)
                    if r.status_code == 200:
                        due = date.fromisoformat(r.json()["due_date"])
                        later(on(max(due - timedelta(days=rng.randint(0, 2)), at.date()), rng.uniform(9, 17)),
                              "complete", data)
                elif action in ("process", "withdraw"):
                    http.post(f"/api/cases/{data['id']}/{action}", headers=clerk,
                              json={"note": "申请人撤回申请"} if action == "withdraw" else None)
                    report.withdrawn += action == "withdraw"
                elif action == "complete":
                    result = "refused" if rng.random() < 0.05 else "approved"
                    body = {"result": result, **({"note": "不符合申请条件"} if result == "refused" else {})}
                    r = http.post(f"/api/cases/{data['id']}/complete", headers=clerk, json=body)
                    if r.status_code == 200:
                        report.completed += 1
                        report.late += r.json()["on_time"] is False
                        if rng.random() < 0.8:
                            later(at + timedelta(days=rng.uniform(0.2, 3)), "deliver", data)
                elif action == "deliver" and data.get("station"):
                    agents.deliver(data)  # the agent carried the result back to the village
                elif action == "deliver":
                    http.post(f"/api/cases/{data['id']}/deliver", headers=clerk,
                              json={"method": rng.choices(["pickup", "mail"], [9, 1])[0]})
            except httpx.HTTPError as exc:  # keep going; report what failed
                report.errors.append(f"{action}: {exc}")
    finally:
        if set_time is not None:
            set_time(None)
        http.close()
    return report
