"""Simulate village agents (村能办 · 家能办) for the demo's weeks of cases, through the HTTP API.

Two or three agents of stations V01–V03 are created by the admin with random passwords. On
working days they submit single cases for residents (channel ``agent``) and now and then a 家能办
batch (channel ``home``); the hall's clerk works them like any other case (simulate_cases.py), and
the agent confirms delivery (method ``agent``) once the result has been carried back.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

STATIONS = ("V01", "V02", "V03")
AGENT_NAMES = ("李代办", "周代办", "何代办")
HOME_GROUPS = ("elderly", "disabled", "seriously_ill", "left_behind", "hardship")


@dataclass
class VillageAgents:
    """The simulated agents: their headers by station, and what they submitted."""

    http: httpx.Client
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    submitted: int = 0
    batches: int = 0
    delivered: int = 0

    @classmethod
    def create(cls, http: httpx.Client, admin_headers: dict[str, str], rng: random.Random,
               *, stations: tuple[str, ...] = STATIONS) -> VillageAgents:
        """Create one agent for each of 2–3 stations and log each in; a hall without them has none."""
        agents = cls(http)
        for station, display in zip(stations[:rng.randint(2, 3)], AGENT_NAMES, strict=False):
            name, password = f"simagent{station.lower()}{secrets.token_hex(3)}", secrets.token_urlsafe(12)
            r = http.post("/api/admin/users", headers=admin_headers, json={
                "username": name, "password": password, "role": "agent", "station": station,
                "display_name": display})
            if r.status_code == 422:  # the hall's YAML does not list this station
                continue
            r.raise_for_status()
            token = http.post("/api/auth/login", json={"username": name, "password": password}).json()["token"]
            agents.headers[station] = {"Authorization": "Bearer " + token}
        return agents

    def plan_day(self, day: date, zone: ZoneInfo, rng: random.Random) -> list[tuple[datetime, dict[str, Any]]]:
        """Return when each agent submits on a working day: a case or two, sometimes a home batch."""
        out: list[tuple[datetime, dict[str, Any]]] = []
        for station in self.headers:
            start = datetime(day.year, day.month, day.day, 9, tzinfo=zone)
            for _ in range(rng.randint(0, 2)):
                out.append((start + timedelta(minutes=rng.uniform(0, 480)), {"station": station, "n": 1}))
            if rng.random() < 0.25:
                out.append((start + timedelta(minutes=rng.uniform(0, 480)),
                            {"station": station, "n": rng.randint(2, 4)}))
        return out

    def submit(self, data: dict[str, Any], matters: list[dict[str, Any]],
               resident: Callable[[], dict[str, Any]],
               rng: random.Random) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Submit one case (n = 1) or a 家能办 batch of n residents; return each case with its matter."""
        station, n = data["station"], data["n"]
        picked = [rng.choice(matters) for _ in range(n)]
        bodies: list[dict[str, Any]] = [
            {"matter": m["code"], "applicant": resident(),
             "received_materials": m["materials"][:rng.randint(0, len(m["materials"]))]} for m in picked]
        for body in bodies:  # a batch is always 家能办; a single case is 30 % of the time
            if n > 1 or rng.random() < 0.3:
                body["group"] = rng.choice(HOME_GROUPS)
        headers = {**self.headers[station], "Idempotency-Key": secrets.token_hex(8)}
        if n == 1:
            r = self.http.post("/api/cases", headers=headers, json=bodies[0])
            r.raise_for_status()
            cases = [r.json()]
        else:
            r = self.http.post("/api/cases/batch", headers=headers, json={"cases": bodies})
            r.raise_for_status()
            cases = r.json()["cases"]
            self.batches += 1
        self.submitted += len(cases)
        return list(zip(cases, picked, strict=True))

    def deliver(self, case: dict[str, Any]) -> bool:
        """Confirm, as the case's agent, that the result reached the resident."""
        headers = self.headers.get(case.get("station") or "")
        if headers is None:
            return False
        r = self.http.post(f"/api/cases/{case['id']}/deliver", headers=headers, json={"method": "agent"})
        self.delivered += r.status_code == 200
        return r.status_code == 200
