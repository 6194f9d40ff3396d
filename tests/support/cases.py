"""Helpers for case (办件) tests: valid ID numbers, a movable clock, and case requests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from stdnum.cn import ric

from queue_server.hallconfig.loader import bundled_yaml
from tests.support.live import Api, LiveServer

TZ = ZoneInfo("Asia/Shanghai")
PHONE = "13812341234"
MASKED_PHONE = "138****1234"


def id_number(birth: str = "19900101", order: str = "123", region: str = "510823") -> str:
    """Return a resident ID number whose GB 11643 check digit is right (剑阁县 by default)."""
    body = region + birth + order
    return body + ric.calc_check_digit(body + "0")


ID_NUMBER = id_number()  # 510823199001011238
MASKED_ID = ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
BAD_ID_NUMBER = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")


class MovableClock:
    """A clock a test sets to local hall times; give it to the live server's runtime."""

    def __init__(self, local: str = "2026-12-01 10:00") -> None:
        self.now = self.at(local)

    @staticmethod
    def at(local: str) -> datetime:
        """Return an aware instant for a local hall time 'YYYY-MM-DD HH:MM'."""
        return datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=TZ).astimezone(UTC)

    def set(self, local: str) -> None:
        """Move to a local hall time."""
        self.now = self.at(local)

    def __call__(self) -> datetime:
        return self.now


def hold_clock(live: LiveServer, local: str = "2026-12-01 10:00") -> MovableClock:
    """Give a live server a clock the test moves."""
    clock = MovableClock(local)
    live.runtime.clock = clock
    return clock


def applicant(name: str = "王秀英", phone: str | None = PHONE, id_no: str | None = ID_NUMBER) -> dict[str, Any]:
    """Return an applicant body."""
    out: dict[str, Any] = {"name": name}
    if phone:
        out["phone"] = phone
    if id_no:
        out["id_number"] = id_no
    return out


def new_case(api: Api, headers: dict[str, str], matter: str = "M002", **extra: Any) -> dict[str, Any]:
    """Create a case that must be accepted, and return it."""
    body = {"matter": matter, "applicant": extra.pop("applicant", applicant()), **extra}
    r = api.http.post("/api/cases", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def act(api: Api, headers: dict[str, str], case_id: int, action: str,
        body: dict[str, Any] | None = None, status: int = 200) -> dict[str, Any]:
    """Take an action on a case and return the answer, asserting its status."""
    r = api.http.post(f"/api/cases/{case_id}/{action}", headers=headers, json=body)
    assert r.status_code == status, r.text
    return dict(r.json())


def hall_yaml_with_printers(tmp_path: Path, printers: dict[int, str]) -> Path:
    """Write the bundled hall with the given window printers; return its path."""
    data = yaml.safe_load(bundled_yaml())
    for window in data["windows"]:
        window.pop("printer", None)
        if window["number"] in printers:
            window["printer"] = printers[window["number"]]
    path = tmp_path / "hall.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
