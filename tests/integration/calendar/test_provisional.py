"""Past the calendar package's last year, over a live server on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.support.cases import new_case
from tests.support.halls import LONG_SESSIONS
from tests.support.live import Api

pytestmark = pytest.mark.server(db="both", settings=LONG_SESSIONS, clock="2026-12-08 10:00")  # a Tuesday


def test_a_20_working_day_case_accepted_in_december_2026_skips_new_years_day_2027(api: Api) -> None:
    clerk = api.user("clerk1")
    case = new_case(api, clerk, "M009")  # 医疗费用零星报销: 20 working days
    assert case["promised_days"] == 20
    # Mon–Fri alone would make it 5 January; 1 January 2027 is 元旦 by the national rules.
    assert case["due_date"] == "2027-01-06"
    again = api.http.get(f"/api/cases/{case['id']}", headers=clerk).json()
    assert again["due_date"] == "2027-01-06"


def test_the_public_calendar_marks_early_2027_as_provisional(api: Api) -> None:
    r = api.http.get("/api/calendar", params={"from": "2026-12-30", "to": "2027-01-05"})
    assert r.status_code == 200
    assert r.headers["X-Calendar-Uncovered"] == "2027"
    days = {d["date"]: d for d in r.json()}
    assert days["2027-01-01"] == {"date": "2027-01-01", "working": False, "name": "元旦", "provisional": True}
    assert days["2027-01-04"] == {"date": "2027-01-04", "working": True, "provisional": True}
    assert days["2026-12-31"] == {"date": "2026-12-31", "working": True}  # announced: no flag
    spring = api.http.get("/api/calendar", params={"from": "2027-02-05", "to": "2027-02-09"}).json()
    assert [d["working"] for d in spring] == [False, False, False, False, True]  # 除夕–初三, then Tuesday

    coverage = api.http.get("/api/calendar/coverage").json()
    assert coverage["years"] == [{"year": 2026, "source": "chinesecalendar 1.11.0"},
                                 {"year": 2027, "source": "provisional"}]
    assert coverage["uncovered"] == [2027] and coverage["last_year"] == 2026
