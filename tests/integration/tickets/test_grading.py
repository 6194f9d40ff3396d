"""Grades for a finished ticket: what a resident may write, and whose grade counts for the clerk."""

from __future__ import annotations

from tests.support.http import assert_error, bearer, issue, kiosk, staff
from tests.support.live import Api, LiveServer


def test_free_text_in_a_residents_evaluation_is_bounded(live: LiveServer) -> None:
    api = Api(live.url)
    admin = api.admin()
    t = issue(api, kiosk(api, admin), "invoice")
    api.http.post("/api/windows/14/open", headers=admin)
    api.http.post("/api/windows/14/call-next", headers=admin)
    api.http.post("/api/windows/14/finish", headers=admin)
    r = api.http.post(f"/api/tickets/{t['id']}/evaluation",
                      json={"token": t["token"], "grade": 2, "reasons": ["x" * 5000]})
    assert_error(r, 422, "invalid")
    api.close()


def test_a_residents_grade_replaces_a_staff_grade_which_never_counts_for_the_clerk(
        live: LiveServer) -> None:
    api = Api(live.url)
    admin = api.admin()
    li = staff(live, api, admin, "li")
    pad = bearer(api.http.post("/api/admin/devices", headers=admin,
                               json={"name": "pad", "kind": "pad", "window": 14}).json()["token"])
    k = kiosk(api, admin)
    for grade_by_pad in (2, None):
        issue(api, k, "invoice")
        api.http.post("/api/windows/14/open", headers=li)
        api.http.post("/api/windows/14/call-next", headers=li)
        api.http.post("/api/windows/14/finish", headers=li)
        own = api.http.post("/api/windows/14/evaluation", headers=li, json={"grade": 5})
        assert own.status_code == 201, own.text
        if grade_by_pad:
            r = api.http.post("/api/windows/14/evaluation", headers=pad, json={"grade": grade_by_pad})
            assert r.status_code == 201, r.text
            assert r.json()["grade"] == grade_by_pad
            again = api.http.post("/api/windows/14/evaluation", headers=pad, json={"grade": 4})
            assert_error(again, 409, "already_evaluated")
    summary = api.http.get("/api/stats/summary", headers=admin).json()
    clerk = next(c for c in summary["by_clerk"] if c["clerk"] == "li")
    assert clerk["grades"] == 1 and clerk["grade_avg"] == 2  # the resident's grade only
    api.close()
