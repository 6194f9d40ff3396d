"""Helpers for case (办件) tests: valid ID numbers and case requests (and the movable clock, from clock.py)."""

from __future__ import annotations

from typing import Any

from stdnum.cn import ric

from tests.support.clock import MovableClock as MovableClock
from tests.support.clock import hold_clock as hold_clock
from tests.support.live import Api

PHONE = "13812341234"
MASKED_PHONE = "138****1234"


def id_number(birth: str = "19900101", order: str = "123", region: str = "510823") -> str:
    """Return a resident ID number whose GB 11643 check digit is right (剑阁县 by default)."""
    body = region + birth + order
    return body + ric.calc_check_digit(body + "0")


ID_NUMBER = id_number()  # 510823199001011238
MASKED_ID = ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
BAD_ID_NUMBER = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")


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
