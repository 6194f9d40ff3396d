"""A 一次性告知书 for a ticket finished 「材料不全」: every material at once, no case opened."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from printer.status import PrinterStatus
from printer.virtual import VirtualPrinter
from tests.support.http import assert_error
from tests.support.live import Api, LiveServer


@pytest.fixture
def printers() -> Iterator[tuple[VirtualPrinter, VirtualPrinter]]:
    good = VirtualPrinter(port=0, prefix="notice").start()
    broken = VirtualPrinter(port=0, prefix="broken", status=PrinterStatus.COVER_OPEN).start()
    yield good, broken
    good.stop()
    broken.stop()


def test_a_ticket_finished_incomplete_gets_every_missing_material_at_once(
        printers: tuple[VirtualPrinter, VirtualPrinter], serve: Callable[..., LiveServer]) -> None:
    printer, broken = printers
    live = serve(printers={1: printer.url, 2: broken.url})
    api = Api(live.url)
    clerk = api.user("clerk1")
    kiosk, _ = api.device("kiosk")
    ticket = api.issue(kiosk, "forestry-permit")
    matter = next(m for c in api.http.get("/api/catalog").json()["categories"]
                  for s in c["services"] if s["code"] == "forestry-permit" for m in s["matters"]
                  if len(m["materials"]) >= 2)
    body = {"window": 1, "matter": matter["code"]}
    url = f"/api/tickets/{ticket['id']}/notice"
    assert_error(api.http.post(url, headers=clerk, json=body), 409, "invalid_state")  # still waiting
    assert api.http.post("/api/windows/1/open", headers=clerk).status_code == 200
    assert api.http.post("/api/windows/1/call-next", headers=clerk).status_code == 200
    assert api.http.post("/api/windows/1/finish", headers=clerk,
                         json={"outcome": "incomplete"}).status_code == 200

    assert_error(httpx.post(live.url + url, json=body), 401, "unauthorized")  # no cookie, no token
    assert_error(api.http.post(url, headers=clerk, json={**body, "window": 2}), 503, "printer_fault")
    assert_error(api.http.post(url, headers=clerk, json={**body, "matter": "nope"}), 422, "invalid")
    assert_error(api.http.post(url, headers=clerk, json={**body, "window": 3}), 422, "invalid")
    assert not printer.receipts

    r = api.http.post(url, headers=clerk, json=body)
    assert r.status_code == 202, r.text
    assert r.json()["missing"] == matter["materials"]
    slip = printer.wait_for(1)[0]
    assert "一次性告知书" in slip.transcript and ticket["number"] in slip.transcript
    for material in matter["materials"]:
        assert material[:6] in slip.transcript
    narrowed = api.http.post(url, headers=clerk, json={**body, "missing": ["林权证原件"], "note": "其余已收"})
    assert narrowed.status_code == 202 and narrowed.json()["missing"] == ["林权证原件"]
    assert "林权证原件" in printer.wait_for(2)[1].transcript
    cases = api.http.get("/api/cases", headers=clerk).json()
    assert cases["total"] == 0  # printing a notice opens no case
    api.close()
