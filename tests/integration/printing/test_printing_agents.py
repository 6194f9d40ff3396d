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
from tests.support.cases import act, hold_clock, new_case
from tests.support.halls import hall_yaml
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
    live = LiveServer(tmp_path / "var", any_db, config=hall_yaml(tmp_path / "hall.yaml", printers=WINDOWS)).start()
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


class SlowPrinter:
    """A TCP printer that answers DLE EOT only after a delay, and keeps every byte it is sent."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.received: list[bytes] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """Return its printer URL."""
        return f"tcp://127.0.0.1:{self._server.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        from printer.status import status_bytes

        with conn:
            conn.settimeout(15)
            data = b""
            try:
                while chunk := conn.recv(65536):
                    data += chunk
                    if data == STATUS_QUERY:
                        time.sleep(self.delay)
                        conn.sendall(bytes(status_bytes(PrinterStatus.OK)[n] for n in (1, 2, 3, 4)))
            except OSError:
                pass
            self.received.append(data)

    def close(self) -> None:
        """Stop listening."""
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()


def test_an_agent_that_does_not_answer_in_time_gets_503_and_the_job_never_prints_late(
        any_db: str, tmp_path: Path) -> None:
    slow = SlowPrinter(delay=6.5)
    live = LiveServer(tmp_path / "var", any_db, config=hall_yaml(tmp_path / "hall.yaml", printers={1: "agent://win1"})).start()
    api = Api(live.url)
    try:
        hold_clock(live, "2026-12-01 10:00")
        _, token = api.device("print_agent")
        clerk = api.user("clerk1")
        case = new_case(api, clerk, "M002")
        # The agent waits longer for its printer than the server waits for the agent.
        with AgentThread(live.url, token, {"win1": slow.url}, printer_timeout=9.0) as agent:
            agent.wait_connected()
            started = time.monotonic()
            r = print_case(api, clerk, case["id"], 1)
            waited = time.monotonic() - started
            assert_error(r, 503, "printer_fault")
            assert "5 秒内没有应答" in r.json()["error"]["message"]
            assert "did not answer within 5 s" in r.json()["error"]["message"]
            assert 4.8 < waited < 6.5
            # The printer answers its status after the server gave up: the agent drops the job.
            agent.wait_for(lambda: "超时未开始打印" in agent.agent.problem, 10, "the agent did not drop the job")
            assert agent.agent.printed == 0
            time.sleep(0.5)  # any job bytes would have followed the status reply at once
        assert slow.received and all(data == STATUS_QUERY for data in slow.received)
        assert [r["status"] for r in jobs(any_db)] == ["expired"]
    finally:
        slow.close()
        api.close()
        live.stop()


def test_the_agent_says_what_is_wrong_with_its_token_or_the_server(tmp_path: Path) -> None:
    from websockets.exceptions import ConnectionClosedError
    from websockets.sync.client import connect

    from tests.support.live import free_port

    live = LiveServer(tmp_path / "var", config=hall_yaml(tmp_path / "hall.yaml", printers={1: "agent://win1"})).start()
    api = Api(live.url)
    try:
        admin = api.admin()
        assert api.http.post("/api/county/halls", headers=admin,
                             json={"code": "xinan", "name": "新安镇便民服务中心"}).status_code == 201
        _, agent_token = api.device("print_agent")
        _, kiosk_token = api.device("kiosk")
        printers = {"win1": "tcp://127.0.0.1:9"}
        cases = [
            (live.url, "not-a-token", "设备令牌无效或已被吊销", "token is not valid"),
            (live.url, kiosk_token, "不能作为本大厅的打印代理", "not a print_agent device"),
            (live.url + "/h/xinan", agent_token, "不能作为本大厅的打印代理", "belongs to another hall"),
            (live.url + "/h/nohall", agent_token, "HTTP 403", "check the hall code"),
            (f"http://127.0.0.1:{free_port()}", agent_token, "无法连接服务器", "cannot reach the server"),
        ]
        for server, token, zh, en in cases:
            with AgentThread(server, token, printers, backoff_cap=0.5, check_status=False) as agent:
                agent.wait_for(lambda a=agent, z=zh: z in a.agent.problem, 10, f"no {zh!r} for {server}")
                assert en in agent.agent.problem
                assert not agent.agent.hall

        # A client that does not say hello properly is told so in the close frame.
        with connect(live.ws_url + "/ws/print-agent",
                     additional_headers={"Authorization": f"Bearer {agent_token}"}) as ws:
            ws.send('{"type": "hello", "protocol": 1, "instance": "x", "printers": ["bad name"]}')
            with pytest.raises(ConnectionClosedError):
                ws.recv(timeout=5)
            assert ws.close_code == 4400
    finally:
        api.close()
        live.stop()


def test_a_revoked_agent_is_cut_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import queue_server.printing.router as agent_router

    monkeypatch.setattr(agent_router, "RECHECK_SECONDS", 0.3)
    live = LiveServer(tmp_path / "var", config=hall_yaml(tmp_path / "hall.yaml", printers={1: "agent://win1"})).start()
    api = Api(live.url)
    try:
        r = api.http.post("/api/admin/devices", headers=api.admin(), json={"name": "代理", "kind": "print_agent"})
        device = r.json()
        with AgentThread(live.url, device["token"], {"win1": "tcp://127.0.0.1:9"}, backoff_cap=0.5,
                         check_status=False) as agent:
            agent.wait_connected()
            assert api.http.delete(f"/api/admin/devices/{device['id']}", headers=api.admin()).status_code == 204
            agent.wait_for(lambda: "设备令牌无效或已被吊销" in agent.agent.problem, 10, "the agent was not cut off")
    finally:
        api.close()
        live.stop()


def test_the_agent_reconnects_after_the_server_restarts(
        tmp_path: Path, printers: tuple[VirtualPrinter, VirtualPrinter]) -> None:
    good, _ = printers
    live = LiveServer(tmp_path / "var", config=hall_yaml(tmp_path / "hall.yaml", printers={1: "agent://win1"})).start()
    api = Api(live.url)
    try:
        _, token = api.device("print_agent")
        clerk = api.user("clerk1")
        case = new_case(api, clerk, "M002")
        with AgentThread(live.url, token, {"win1": good.url}, backoff_cap=1.0) as agent:
            agent.wait_connected()
            live.stop()
            agent.wait_for(lambda: "无法连接服务器" in agent.agent.problem or "连接中断" in agent.agent.problem,
                           10, "the agent did not notice the server went away")
            live.start()
            agent.wait_connected(15)
            clerk = {"Authorization": "Bearer " + api.login("clerk1", "password-123")}
            assert print_case(api, clerk, case["id"], 1).status_code == 202
            assert "受理回执" in good.wait_for(1)[0].transcript
    finally:
        api.close()
        live.stop()


def test_the_last_agent_to_announce_a_printer_wins(
        tmp_path: Path, printers: tuple[VirtualPrinter, VirtualPrinter]) -> None:
    first_printer, _ = printers
    second_printer = VirtualPrinter(port=0, prefix="second").start()
    live = LiveServer(tmp_path / "var", config=hall_yaml(tmp_path / "hall.yaml", printers={1: "agent://win1"})).start()
    api = Api(live.url)
    try:
        _, token_a = api.device("print_agent", name="旧电脑")
        _, token_b = api.device("print_agent", name="新电脑")
        clerk = api.user("clerk1")
        case = new_case(api, clerk, "M002")
        first = AgentThread(live.url, token_a, {"win1": first_printer.url}).start().wait_connected()
        with AgentThread(live.url, token_b, {"win1": second_printer.url}) as second:
            second.wait_connected()
            # The earlier agent is told, says so, and ends: it has no printer left.
            first.wait_for(lambda: first.code is not None, 10, "the superseded agent kept running")
            assert first.code == 3
            assert "已由另一台打印代理接管" in first.agent.problem or "都已被其他打印代理接管" in first.agent.problem
            assert print_case(api, clerk, case["id"], 1).status_code == 202
            assert "受理回执" in second_printer.wait_for(1)[0].transcript
            assert not first_printer.receipts
        first.stop()
    finally:
        second_printer.stop()
        api.close()
        live.stop()


def test_two_servers_on_postgres_relay_every_request_to_the_one_agent(
        pg_url: str, tmp_path: Path, printers: tuple[VirtualPrinter, VirtualPrinter]) -> None:
    good, _ = printers
    config = hall_yaml(tmp_path / "hall.yaml", printers={1: "agent://win1"})
    first = LiveServer(tmp_path / "a", pg_url, config=config).start()
    second = LiveServer(tmp_path / "b", pg_url, config=config).start()
    api_a, api_b = Api(first.url), Api(second.url)
    try:
        _, token = api_a.device("print_agent")
        clerk = api_a.user("clerk1")
        case = new_case(api_a, clerk, "M002")
        with AgentThread(first.url, token, {"win1": good.url}) as agent:
            agent.wait_connected()
            for n, api in enumerate((api_b, api_a, api_b), start=1):
                r = print_case(api, clerk, case["id"], 1)
                assert r.status_code == 202, r.text
                assert case["number"] in good.wait_for(n)[n - 1].transcript
        # The agent comes back on the other server: requests on the first are relayed to it.
        with AgentThread(second.url, token, {"win1": good.url}) as agent:
            agent.wait_connected()
            assert print_case(api_a, clerk, case["id"], 1).status_code == 202
            good.wait_for(4)
        rows = jobs(pg_url)
        assert [r["status"] for r in rows] == ["printed"] * 4
        assert len({r["requested_by"] for r in rows}) == 2
        # Each job went out from the process that held the agent's socket at the time.
        assert rows[0]["sent_by"] == rows[1]["sent_by"] == rows[2]["sent_by"] == rows[1]["requested_by"]
        assert rows[3]["sent_by"] == rows[0]["requested_by"] != rows[3]["requested_by"]
    finally:
        api_a.close()
        api_b.close()
        second.stop()
        first.stop()


def test_hall_serve_with_two_workers_prints_requests_of_both_through_one_agent(
        pg_url: str, tmp_path: Path, printers: tuple[VirtualPrinter, VirtualPrinter]) -> None:
    import httpx

    from tests.support.live import ServedProcess

    good, _ = printers
    config = hall_yaml(tmp_path / "hall.yaml", printers={1: "agent://win1"})
    (tmp_path / "var").mkdir()
    served = ServedProcess(tmp_path / "var", pg_url, workers=2, env={"HALL_CONFIG": str(config)}).start()
    api = Api(served.url)
    try:
        _, token = api.device("print_agent")
        clerk = api.user("clerk1")
        case = new_case(api, clerk, "M002")
        with AgentThread(served.url, token, {"win1": good.url}) as agent:
            agent.wait_connected()
            sent = 0
            while sent < 40:
                # A new connection each time, so the requests spread over the workers.
                r = httpx.post(f"{served.url}/api/cases/{case['id']}/print", headers=clerk,
                               json={"window": 1, "kind": "acceptance"}, timeout=30)
                assert r.status_code == 202, r.text
                sent += 1
                if sent >= 4 and len({row["requested_by"] for row in jobs(pg_url)}) == 2:
                    break
            assert len(good.wait_for(sent)) == sent
        rows = jobs(pg_url)
        assert len(rows) == sent and {r["status"] for r in rows} == {"printed"}
        assert len({r["requested_by"] for r in rows}) == 2  # both workers took requests
        assert len({r["sent_by"] for r in rows}) == 1  # one of them holds the agent's socket
    finally:
        api.close()
        served.stop()


def test_a_ticket_notice_in_another_hall_prints_on_that_halls_agent_only(
        tmp_path: Path, printers: tuple[VirtualPrinter, VirtualPrinter]) -> None:
    puan_printer, _ = printers
    xinan_printer = VirtualPrinter(port=0, prefix="xinan").start()
    live = LiveServer(tmp_path / "var", config=hall_yaml(tmp_path / "hall.yaml", printers={1: "agent://win1"})).start()
    api = Api(live.url)
    xinan = Api(live.url + "/h/xinan")
    try:
        admin = api.admin()
        r = api.http.post("/api/county/halls", headers=admin,
                          json={"code": "xinan", "name": "新安镇便民服务中心", "copy_from": "puan"})
        assert r.status_code == 201, r.text
        _, puan_token = api.device("print_agent")
        _, xinan_token = xinan.device("print_agent")
        clerk = xinan.user("xclerk")
        kiosk, _ = xinan.device("kiosk")
        ticket = xinan.issue(kiosk, "forestry-permit")
        assert xinan.http.post("/api/windows/1/open", headers=clerk).status_code == 200
        assert xinan.http.post("/api/windows/1/call-next", headers=clerk).status_code == 200
        matter = next(m for c in xinan.http.get("/api/catalog").json()["categories"]
                      for s in c["services"] if s["code"] == "forestry-permit" for m in s["matters"]
                      if m["materials"])
        url = f"/api/tickets/{ticket['id']}/notice"
        # Both halls name their printer win1; only xinan's own agent prints xinan's slips.
        with AgentThread(live.url, puan_token, {"win1": puan_printer.url}) as puan_agent:
            puan_agent.wait_connected()
            refused = xinan.http.post(url, headers=clerk, json={"window": 1, "matter": matter["code"]})
            assert_error(refused, 503, "printer_fault")
            assert "打印代理未连接" in refused.json()["error"]["message"]
            with AgentThread(live.url + "/h/xinan", xinan_token, {"win1": xinan_printer.url}) as agent:
                agent.wait_connected()
                assert agent.agent.hall == "xinan"
                r = xinan.http.post(url, headers=clerk, json={"window": 1, "matter": matter["code"]})
                assert r.status_code == 202, r.text
                assert r.json()["printer_status"] == "ok"
                slip = xinan_printer.wait_for(1)[0]
                assert "一次性告知书" in slip.transcript and ticket["number"] in slip.transcript
                assert "新安镇" in slip.transcript
            assert not puan_printer.receipts
    finally:
        xinan_printer.stop()
        xinan.close()
        api.close()
        live.stop()


def test_hall_print_agent_runs_as_a_command_and_stops_on_sigterm(
        tmp_path: Path, printers: tuple[VirtualPrinter, VirtualPrinter]) -> None:
    import os
    import signal
    import subprocess
    import sys

    good, _ = printers
    live = LiveServer(tmp_path / "var", config=hall_yaml(tmp_path / "hall.yaml", printers={1: "agent://win1"})).start()
    api = Api(live.url)
    log_path = tmp_path / "agent.log"
    try:
        _, token = api.device("print_agent")
        token_file = tmp_path / "agent.token"
        token_file.write_text(token + "\n", encoding="utf-8")
        clerk = api.user("clerk1")
        case = new_case(api, clerk, "M002")
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "queue_server.cli", "print-agent", "--server", live.url,
                 "--device-token-file", str(token_file), "--printer", f"WIN1={good.url}"],
                stdout=log, stderr=log, env={**os.environ, "PYTHONPATH": os.getcwd()})
            try:
                deadline = time.monotonic() + 30
                while "已连接服务器" not in log_path.read_text(encoding="utf-8"):
                    assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text(encoding="utf-8")
                    time.sleep(0.05)
                assert print_case(api, clerk, case["id"], 1).status_code == 202
                assert "受理回执" in good.wait_for(1)[0].transcript
                proc.send_signal(signal.SIGTERM)
                assert proc.wait(timeout=15) == 0
            finally:
                if proc.poll() is None:
                    proc.kill()
        text = log_path.read_text(encoding="utf-8")
        assert "connected to ws://127.0.0.1" in text and "printed 受理回执 · 1 号窗口 on win1" in text
        assert token not in text  # the token never reaches the log
        bad = subprocess.run([sys.executable, "-m", "queue_server.cli", "print-agent", "--server", live.url,
                              "--device-token", "t", "--printer", "win1=agent://x"],
                             capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": os.getcwd()})
        assert bad.returncode == 2 and "本机能直接连接的打印机" in bad.stderr
    finally:
        api.close()
        live.stop()
