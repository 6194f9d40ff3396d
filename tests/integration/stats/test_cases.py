"""A hand-computed month of cases: /api/stats/cases must match it exactly, and exports stay masked."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.support.cases import ID_NUMBER, MASKED_ID, MASKED_PHONE, PHONE, act, applicant, new_case
from tests.support.clock import MovableClock
from tests.support.halls import LONG_SESSIONS
from tests.support.http import assert_error
from tests.support.live import Api, LiveServer

pytestmark = pytest.mark.server(db="both", settings=LONG_SESSIONS, clock="2026-10-28 09:00")

# November 2026 has no statutory holiday. Each case: matter, when accepted, and what happens after.
# Due dates and working days taken, counted by hand:
#   J M002 accepted Wed 28 Oct, due Wed 4 Nov, completed Tue 3 Nov: on time, 4 working days
#   A M002 accepted Mon 2 Nov, due Mon 9 Nov, completed Fri 6 Nov: on time, 4
#   B M002 accepted Mon 2 Nov, due Mon 9 Nov, completed Tue 10 Nov: late, 6
#   D M001 onsite, Tue 3 Nov: delivered at once, on time, 0
#   C M002 accepted Wed 4 Nov (due 11 Nov), suspended Thu 5 → resumed Mon 9 (Fri 6 and Mon 9 lost),
#     due Fri 13 Nov, completed Fri 13 Nov: on time, 7 − 2 = 5
#   E M020 (civil affairs, 7 days) accepted Mon 16 Nov, completed Wed 18 Nov: on time, 2
#   F M002 accepted Fri 20 Nov, due Fri 27 Nov, still processing on Mon 30 Nov: overdue
#   G M002 accepted Wed 25 Nov, due Wed 2 Dec: due within 2 working days of Mon 30 Nov
#   H M002 accepted Thu 26 Nov, withdrawn Fri 27 Nov: counts nowhere
#   K M002 accepted Fri 27 Nov (due 4 Dec), suspended the same day: open, due moves to 7 Dec
#   I M004 (not handled here → proxy, 15 days) accepted Mon 30 Nov 09:00: open
# "Now" is Mon 30 Nov 10:00.
STEPS: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("2026-10-28 10:00", "J", "new:M002", None), ("2026-11-02 09:30", "A", "new:M002", None),
    ("2026-11-02 09:40", "B", "new:M002", None), ("2026-11-03 10:00", "D", "new:M001", None),
    ("2026-11-03 11:00", "J", "complete", {"result": "approved"}),
    ("2026-11-04 10:00", "C", "new:M002", None),
    ("2026-11-05 10:00", "C", "suspend", {"missing": ["户口簿"]}),
    ("2026-11-06 16:00", "A", "complete", {"result": "approved"}),
    ("2026-11-09 10:00", "C", "resume", None),
    ("2026-11-10 16:00", "B", "complete", {"result": "refused", "note": "材料不符"}),
    ("2026-11-13 15:00", "C", "complete", {"result": "approved"}),
    ("2026-11-16 10:00", "E", "new:M020", None), ("2026-11-18 10:00", "E", "complete", {"result": "approved"}),
    ("2026-11-20 10:00", "F", "new:M002", None), ("2026-11-20 11:00", "F", "process", None),
    ("2026-11-25 10:00", "G", "new:M002", None), ("2026-11-26 10:00", "H", "new:M002", None),
    ("2026-11-27 10:00", "H", "withdraw", {"note": "不办了"}), ("2026-11-27 10:30", "K", "new:M002", None),
    ("2026-11-27 11:00", "K", "suspend", {"missing": ["照片"]}), ("2026-11-30 09:00", "I", "new:M004", None),
]
NOVEMBER = {
    "from": "2026-11-01", "to": "2026-11-30",
    "accepted": 9, "completed": 6, "completed_on_time": 5, "on_time_pct": 83.3,
    "open": 4, "overdue_open": 1, "due_soon": 1, "avg_working_days": 3.5,
    "by_mode": {"onsite": 1, "deferred": 7, "proxy": 1},
    "by_channel": {"window": 9, "agent": 0, "home": 0},
    "by_department": [
        {"department": "social-security", "name": "人力资源和社会保障（社保医保）", "completed": 5,
         "on_time_pct": 80.0},
        {"department": "civil-affairs", "name": "民政", "completed": 1, "on_time_pct": 100.0}],
    "by_station": [],
}


@pytest.fixture
def month(live: LiveServer, api: Api, clock: MovableClock
          ) -> tuple[LiveServer, Api, dict[str, str], dict[str, dict[str, Any]]]:
    clerk = api.user("clerk1")
    cases: dict[str, dict[str, Any]] = {}
    for at, key, what, body in STEPS:
        clock.set(at)
        if what.startswith("new:"):
            cases[key] = new_case(api, clerk, what[4:], applicant=applicant(f"申请人{key}"))
        else:
            cases[key] = act(api, clerk, cases[key]["id"], what, body)
    clock.set("2026-11-30 10:00")
    return live, api, clerk, cases


def test_the_month_matches_the_hand_computed_figures(month: Any) -> None:
    live, api, clerk, cases = month
    assert cases["C"]["due_date"] == "2026-11-13" and cases["C"]["suspended_days"] == 2
    assert [cases[k]["on_time"] for k in "JABDCE"] == [True, True, False, True, True, True]
    manager = api.user("boss", "manager")
    r = api.http.get("/api/stats/cases", headers=manager, params={"from": "2026-11-01", "to": "2026-11-30"})
    assert r.status_code == 200, r.text
    assert r.json() == NOVEMBER
    year = api.http.get("/api/stats/cases", headers=manager,
                        params={"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert (year["accepted"], year["completed"], year["completed_on_time"]) == (10, 6, 5)
    day = api.http.get("/api/stats/cases", headers=manager, params={"from": "2026-11-02"}).json()
    assert (day["accepted"], day["completed"], day["on_time_pct"], day["open"]) == (2, 0, None, 4)
    overdue = api.http.get("/api/cases", headers=clerk, params={"overdue": "true"}).json()
    assert [c["number"] for c in overdue["cases"]] == [cases["F"]["number"]]
    assert_error(api.http.get("/api/stats/cases", headers=clerk), 403, "forbidden")
    assert_error(api.http.get("/api/stats/cases", headers=manager,
                              params={"from": "2026-11-30", "to": "2026-11-01"}), 422, "invalid")
    with httpx.Client(base_url=live.url) as anon:
        assert_error(anon.get("/api/stats/cases"), 401, "unauthorized")


def test_exports_have_one_masked_row_per_case(month: Any) -> None:
    _live, api, clerk, cases = month
    manager = api.user("boss", "manager")
    params = {"from": "2026-11-01", "to": "2026-11-30"}
    r = api.http.get("/api/stats/cases.csv", headers=manager, params=params)
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 10  # every case accepted in November, the withdrawn one included
    by_number = {row["number"]: row for row in rows}
    b = by_number[cases["B"]["number"]]
    assert (b["status"], b["result"], b["on_time"], b["due_date"]) == ("completed", "refused", "False", "2026-11-09")
    assert by_number[cases["F"]["number"]]["overdue"] == "True"
    assert {row["applicant_phone"] for row in rows} == {MASKED_PHONE}
    assert {row["applicant_id_number"] for row in rows} == {MASKED_ID}
    assert all(row["applicant_name"] == "申请**" for row in rows)
    assert PHONE not in r.text and ID_NUMBER not in r.text and "申请人" not in r.text
    x = api.http.get("/api/stats/cases.xlsx", headers=manager, params=params)
    assert x.status_code == 200
    book = load_workbook(io.BytesIO(x.content), read_only=True)
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row]
    assert MASKED_PHONE in cells and MASKED_ID in cells
    assert not any(PHONE in c or ID_NUMBER in c or "申请人" in c for c in cells)
    assert "83.3" in cells  # the on-time rate on the first sheet
    assert_error(api.http.get("/api/stats/cases.csv", headers=clerk, params=params), 403, "forbidden")
    # Every staff view of a case masks too.
    listed = json.dumps(api.http.get("/api/cases", headers=clerk, params={"limit": 200}).json())
    assert PHONE not in listed and ID_NUMBER not in listed
