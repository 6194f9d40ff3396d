"""Play the staffing fixture's four Mondays through a real server's HTTP API, on a clock the test holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from queue_server.hallconfig.loader import bundled_yaml
from tests.support import staffing_fixture as fx
from tests.support.live import Api, LiveServer

TZ = ZoneInfo("Asia/Shanghai")
# Two stretches of one window closer than this are a pause and a resume, not a close and an open.
PAUSE_GAP = timedelta(minutes=20)
# At the same instant: windows open first, then residents arrive, then clerks finish, call and start,
# and windows pause or close last (a window cannot close while it holds a ticket).
ORDER = {"open": 0, "resume": 0, "issue": 1, "finish": 2, "call": 3, "no_show": 4, "cancel": 4, "pause": 5,
         "close": 5}


def local(day: date, hhmm: str) -> datetime:
    """Return the UTC instant of a hall wall-clock time HH:MM or HH:MM:SS on a day."""
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=TZ).astimezone(UTC)


class HeldClock:
    """A clock the test sets to exact instants; given to the live server's runtime."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def hall_yaml(folder: Path) -> Path:
    """Write the fixture's hall: the bundled hall with two windows and the fixture's opening hours."""
    data = yaml.safe_load(bundled_yaml())
    data["settings"]["opening_hours"] = fx.OPENING_HOURS
    data["settings"]["pickup_window"] = data["settings"]["proxy_window"] = 1
    data["windows"] = [{"number": n, "name": f"{n} 号窗口", "profile": profile}
                       for n, profile in fx.WINDOW_PROFILES.items()]
    path = folder / "staffing_hall.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@dataclass(order=True)
class Step:
    at: datetime
    rank: int
    action: str = field(compare=False)
    window: int = field(compare=False, default=0)
    ticket: int = field(compare=False, default=-1)  # the index of the day's ticket


def _window_steps(d: fx.Day) -> list[Step]:
    steps: list[Step] = []
    by_window: dict[int, list[fx.Session]] = {}
    for s in d.sessions:
        by_window.setdefault(s.window, []).append(s)
    for n, sessions in by_window.items():
        sessions.sort(key=lambda s: s.start)
        for k, s in enumerate(sessions):
            before = sessions[k - 1] if k else None
            after = sessions[k + 1] if k + 1 < len(sessions) else None
            resumed = before is not None and local(d.day, s.start) - local(d.day, before.end) < PAUSE_GAP
            paused = after is not None and local(d.day, after.start) - local(d.day, s.end) < PAUSE_GAP
            steps.append(Step(local(d.day, s.start), ORDER["resume" if resumed else "open"],
                              "resume" if resumed else "open", n))
            steps.append(Step(local(d.day, s.end), ORDER["pause" if paused else "close"],
                              "pause" if paused else "close", n))
    return steps


def _assign(d: fx.Day) -> dict[int, int]:
    """Give each served ticket a window open and free from its start to its finish (greedy, by start)."""
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    out: dict[int, int] = {}
    served = [(k, t) for k, t in enumerate(d.tickets) if t.finished is not None]
    for k, t in sorted(served, key=lambda kt: kt[1].started() or ""):
        start, end = local(d.day, t.started() or ""), local(d.day, t.finished or "")
        for n in sorted(fx.WINDOW_PROFILES):
            open_then = any(s.window == n and local(d.day, s.start) <= start and end <= local(d.day, s.end)
                            for s in d.sessions)
            free = all(end <= a or b <= start for a, b in busy.get(n, []))
            if open_then and free:
                out[k] = n
                busy.setdefault(n, []).append((start, end))
                break
        else:
            raise AssertionError(f"no window can serve ticket {k} of {d.day}")
    return out


def _steps(d: fx.Day) -> list[Step]:
    steps = _window_steps(d)
    windows = _assign(d)
    for k, t in enumerate(d.tickets):
        steps.append(Step(local(d.day, t.issued), ORDER["issue"], "issue", ticket=k))
        if t.finished is not None:
            steps.append(Step(local(d.day, t.started() or ""), ORDER["call"], "call", windows[k], k))
            steps.append(Step(local(d.day, t.finished), ORDER["finish"], "finish", windows[k], k))
        elif d.day == date(2026, 3, 2):  # the fixture's no-show: called a minute after it arrived
            steps.append(Step(local(d.day, t.issued) + timedelta(minutes=1), ORDER["no_show"], "no_show", 1, k))
        else:  # the fixture's cancellation
            steps.append(Step(local(d.day, t.issued) + timedelta(minutes=5), ORDER["cancel"], "cancel", ticket=k))
    return sorted(steps)


def _ok(r: Any) -> dict[str, Any]:
    assert r.status_code in (200, 201), r.text
    return dict(r.json())


def replay(live: LiveServer, api: Api) -> HeldClock:
    """Play the fixture's days through the API; leave the clock at the fixture's NOW (23 March, 17:00)."""
    kiosk, _ = api.device("kiosk")
    clerks = {n: api.user(f"staffing{n}", "clerk") for n in fx.WINDOW_PROFILES}
    clock = HeldClock(local(fx.DAYS[0].day, "08:00"))  # after the logins: they last the server's session_hours
    live.runtime.clock = clock
    h = api.http
    for d in fx.DAYS:
        issued: dict[int, dict[str, Any]] = {}
        for step in _steps(d):
            clock.now = step.at
            n, clerk = step.window, clerks.get(step.window, {})
            if step.action in ("open", "resume", "pause", "close"):
                _ok(h.post(f"/api/windows/{n}/{step.action}", headers=clerk))
            elif step.action == "issue":
                issued[step.ticket] = _ok(h.post("/api/tickets", headers=kiosk, json={
                    "service": d.tickets[step.ticket].service, "channel": "kiosk"}))
            elif step.action == "call":
                _ok(h.post(f"/api/windows/{n}/call", headers=clerk, json={"ticket": issued[step.ticket]["id"]}))
                _ok(h.post(f"/api/windows/{n}/start", headers=clerk))
            elif step.action == "finish":
                _ok(h.post(f"/api/windows/{n}/finish", headers=clerk, json={"outcome": "done"}))
            elif step.action == "no_show":
                _ok(h.post(f"/api/windows/{n}/call", headers=clerk, json={"ticket": issued[step.ticket]["id"]}))
                _ok(h.post(f"/api/windows/{n}/no-show", headers=clerk))
            else:
                t = issued[step.ticket]
                _ok(h.post(f"/api/tickets/{t['id']}/cancel", params={"token": t["token"]}))
    clock.now = datetime.strptime(fx.NOW, "%Y-%m-%d %H:%M").replace(tzinfo=TZ).astimezone(UTC)
    return clock
