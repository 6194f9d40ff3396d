"""Window documents printed through a print agent in the hall: the real agent, the real server, virtual printers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from printer.status import STATUS_QUERY, PrinterStatus
from printer.virtual import VirtualPrinter
from tests.support.cases import act, hall_yaml_with_printers, hold_clock, new_case
from tests.support.http import assert_error
from tests.support.live import Api, LiveServer
from tests.support.printagent import AgentThread

WINDOWS = {1: "agent://win1", 2: "agent://broken", 3: "agent://nobody",
           18: "agent://WIN1?width=58&text=raster"}


@pytest.fixture
def printers() -> Iterator[tuple[VirtualPrinter, VirtualPrinter]]:
    good = VirtualPrinter(port=0, prefix="agent").start()
    broken = VirtualPrinter(port=0, prefix="broken", status=PrinterStatus.PAPER_OUT).start()
    yield good, broken
    good.stop()
    broken.stop()


def jobs(database_url: str) -> list[dict[str, Any]]:
    """Read the print_job rows straight from the database."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT id, printer, status, length(data) AS size, requested_by, sent_by, message "
                "FROM print_job ORDER BY created_at")).mappings().all()
            return [dict(r) for r in rows]
    finally:
        engine.dispose()


def print_case(api: Api, clerk: dict[str, str], case_id: int, window: int, kind: str = "acceptance") -> Any:
    """Ask for a case document at a window."""
    return api.http.post(f"/api/cases/{case_id}/print", headers=clerk, json={"window": window, "kind": kind})


def test_case_documents_print_through_the_agent_and_faults_say_why(
        any_db: str, tmp_path: Path, printers: tuple[VirtualPrinter, VirtualPrinter], artifacts: Path) -> None:
    good, broken = printers
    live = LiveServer(tmp_path / "var", any_db, config=hall_yaml_with_printers(tmp_path, WINDOWS)).start()
    api = Api(live.url)
    try:
        hold_clock(live, "2026-12-01 10:00")
        _, token = api.device("print_agent", name="前台打印代理")
        clerk = api.user("clerk1")
        case = new_case(api, clerk, "M002")
        with AgentThread(live.url, token, {"win1": good.url, "broken": broken.url}) as agent:
            agent.wait_connected()
            assert agent.agent.hall == "puan"

            r = print_case(api, clerk, case["id"], 1)
            assert r.status_code == 202, r.text
            assert r.json() == {"case": case["id"], "window": 1, "kind": "acceptance", "printer_status": "ok"}
            slip = good.wait_for(1)[0]
            assert "受理回执" in slip.transcript and case["number"] in slip.transcript
            assert "王*英" in slip.transcript and "王秀英" not in slip.transcript

            # The URL's options reach the layout the server makes: 58 mm, raster Chinese.
            r = print_case(api, clerk, case["id"], 18)
            assert r.status_code == 202, r.text
            narrow = good.wait_for(2)[1]
            assert narrow.image.width == 384 and "[raster" in narrow.transcript
            out = artifacts / "printing-agents"
            out.mkdir(exist_ok=True)
            slip.image.save(out / "acceptance-80mm-through-agent.png")
            narrow.image.save(out / "acceptance-58mm-raster-through-agent.png")

            act(api, clerk, case["id"], "suspend", {"missing": ["户口簿原件"]})
            before = api.http.get(f"/api/cases/{case['id']}", headers=clerk).json()
            fault = print_case(api, clerk, case["id"], 2, "notice")
            assert_error(fault, 503, "printer_fault")
            assert "缺纸" in fault.json()["error"]["message"]
            assert api.http.get(f"/api/cases/{case['id']}", headers=clerk).json() == before
            assert not broken.receipts

            started = time.monotonic()
            nobody = print_case(api, clerk, case["id"], 3, "notice")
            assert_error(nobody, 503, "printer_fault")
            assert time.monotonic() - started < 5.0
            assert "打印代理未连接" in nobody.json()["error"]["message"]
            assert "no print agent is connected" in nobody.json()["error"]["message"]
            assert agent.agent.printed == 2

        rows = jobs(any_db)
        assert [(r["printer"], r["status"]) for r in rows] == [("win1", "printed"), ("win1", "printed"),
                                                                ("broken", "fault")]
        assert all(r["size"] == 0 for r in rows)  # the slips' bytes are not kept once answered
        assert "缺纸" in rows[2]["message"]
    finally:
        api.close()
        live.stop()
