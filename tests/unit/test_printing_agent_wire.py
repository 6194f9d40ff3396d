"""The print agent's pure parts: agent:// URLs, its options, the messages, the backoff, the answers' meaning."""

from __future__ import annotations

import json
from typing import Any

import pytest

from printer import agentwire as wire
from printer.agent import backoff
from printer.errors import PrinterConfigError
from printer.profile import PrinterProfile
from printer.transport import open_transport, parse_printer_url
from queue_server.auth.service import Principal
from queue_server.core.errors import ApiError
from queue_server.printing.relay import NO_AGENT, NO_ANSWER
from queue_server.printing.router import refusal
from queue_server.printing.store import Finished
from queue_server.printing.windows import answer_status


def test_agent_urls_name_a_printer_and_carry_the_layout_options() -> None:
    t = parse_printer_url("agent://Front-Desk_1?width=58&text=raster")
    assert (t.scheme, t.name) == ("agent", "front-desk_1")  # one spelling: lower case
    assert t.profile == PrinterProfile(width_mm=58, text="raster")
    assert parse_printer_url("agent://win1#puan").name == "win1"  # the hall the server adds is not the name
    for bad in ("agent://", "agent://two words", "agent://win1/path", "agent://win1:80", "agent://" + "x" * 65,
                "agent://win1?width=57"):
        with pytest.raises(PrinterConfigError):
            parse_printer_url(bad)
    with pytest.raises(PrinterConfigError, match="print agent"):
        open_transport(t)  # nothing in this process can open an agent's printer


@pytest.mark.parametrize(("server", "socket"), [
    ("http://10.0.0.5:8000", "ws://10.0.0.5:8000/ws/print-agent"),
    ("https://county.example/h/puan/", "wss://county.example/h/puan/ws/print-agent"),
    ("wss://county.example/h/puan/ws/print-agent", "wss://county.example/h/puan/ws/print-agent"),
])
def test_the_socket_url_follows_the_server_url_and_its_hall_prefix(server: str, socket: str) -> None:
    assert wire.socket_url(server) == socket


@pytest.mark.parametrize("server", ["county.example", "ftp://county.example", "http://x/h/puan?a=1", "http://"])
def test_a_bad_server_url_is_refused_in_chinese(server: str) -> None:
    with pytest.raises(PrinterConfigError) as err:
        wire.socket_url(server)
    assert "服务器地址" in err.value.message_zh


def test_printer_options_name_a_local_printer() -> None:
    assert wire.printer_option("WIN1=tcp://192.168.1.87:9100?width=80") == ("win1", "tcp://192.168.1.87:9100?width=80")
    assert wire.printer_option("lp=file:///dev/usb/lp0") == ("lp", "file:///dev/usb/lp0")
    for bad in ("win1", "win1=", "win1=agent://other", "win 1=tcp://h", "win1=ftp://h"):
        with pytest.raises(PrinterConfigError):
            wire.printer_option(bad)


MESSAGES: list[Any] = [
    wire.Hello(("win1", "lobby"), "abc123"),
    wire.Welcome("puan", ("win1",)),
    wire.Job("j1", "win1", bytes(range(256)) * 3, 4.5, "受理回执 · 1 号窗口"),
    wire.Answer("j1", "fault", "paper_out", "打印机缺纸，请联系工作人员", "printer reports paper_out"),
    wire.Answer("j2", "printed", "paper_low"),
    wire.Superseded("win1"),
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_every_message_reads_back_as_itself_on_its_side(message: Any) -> None:
    text = wire.encode(message)
    side = wire.decode_for_server if isinstance(message, wire.Hello | wire.Answer) else wire.decode_for_agent
    assert side(text) == message
    assert json.loads(text)["type"] == {"Hello": "hello", "Welcome": "welcome", "Job": "job", "Answer": "answer",
                                        "Superseded": "superseded"}[type(message).__name__]


def test_chinese_travels_as_text_not_escapes() -> None:
    assert "受理回执 · 1 号窗口" in wire.encode(MESSAGES[2])
    assert "打印机缺纸" in wire.encode(MESSAGES[3])


@pytest.mark.parametrize("text", [
    "not json", "[]", '{"no": "type"}', '{"type": "job"}',
    '{"type": "hello", "protocol": 2, "instance": "a", "printers": ["win1"]}',
    '{"type": "hello", "protocol": 1, "instance": "a", "printers": []}',
    '{"type": "hello", "protocol": 1, "instance": "a", "printers": ["win1", "WIN1"]}',
    '{"type": "hello", "protocol": 1, "instance": "", "printers": ["win1"]}',
    '{"type": "hello", "protocol": 1, "instance": "a", "printers": [1]}',
    '{"type": "answer", "id": "j", "outcome": "maybe"}',
    '{"type": "answer", "id": "j", "outcome": "printed", "message": ' + json.dumps("长" * 201) + "}",
    '{"type": "welcome", "hall": "puan", "printers": ["win1"]}',
])
def test_the_server_refuses_what_an_agent_may_not_send(text: str) -> None:
    with pytest.raises(wire.WireError):
        wire.decode_for_server(text)


@pytest.mark.parametrize("text", [
    '{"type": "job", "id": "j", "printer": "win1", "ttl": NaN, "data": ""}',
    '{"type": "job", "id": "j", "printer": "win1", "ttl": true, "data": ""}',
    '{"type": "job", "id": "j", "printer": "win1", "ttl": 3, "data": "***"}',
    '{"type": "superseded", "printer": "no way"}',
    '{"type": "hello", "protocol": 1, "instance": "a", "printers": ["win1"]}',
])
def test_the_agent_refuses_what_a_server_may_not_send(text: str) -> None:
    with pytest.raises(wire.WireError):
        wire.decode_for_agent(text)


def test_backoff_doubles_up_to_the_cap_with_jitter() -> None:
    middle = [backoff(n, cap=60, rnd=lambda: 0.5) for n in range(1, 10)]
    assert middle == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert backoff(3, rnd=lambda: 0.0) == pytest.approx(3.2)
    assert backoff(3, rnd=lambda: 1.0) == pytest.approx(4.8)


def test_an_answer_becomes_the_printer_status_or_a_503_saying_why() -> None:
    assert answer_status(Finished("j", "printed", "paper_low"), "win1", 1, 5.0) == "paper_low"
    assert answer_status(Finished("j", "printed"), "win1", 1, 5.0) == "ok"
    cases = [
        (Finished("j", "fault", "paper_out", "打印机缺纸，请联系工作人员"), "1 号窗口打印机故障：打印机缺纸"),
        (Finished("", NO_AGENT), "打印代理未连接"),
        (Finished("j", NO_ANSWER), "5 秒内没有应答"),
        (Finished("j", "expired"), "did not answer within 5 s"),
    ]
    for done, says in cases:
        with pytest.raises(ApiError) as err:
            answer_status(done, "win1", 1, 5.0)
        assert (err.value.status, err.value.code) == (503, "printer_fault")
        assert says in err.value.message


def test_only_a_print_agent_device_of_the_hall_may_hold_the_socket() -> None:
    agent = Principal("device", "print_agent", device_id=3, hall="puan")
    assert refusal(agent) is None
    assert refusal(None) == (wire.CLOSE_BAD_TOKEN, "device token not valid or revoked")
    assert refusal(agent.foreign())[0] == wire.CLOSE_NOT_ALLOWED  # type: ignore[index]
    assert refusal(Principal("device", "kiosk", device_id=4, hall="puan"))[0] == wire.CLOSE_NOT_ALLOWED  # type: ignore[index]
    assert refusal(Principal("user", "admin", username="admin", hall="*"))[0] == wire.CLOSE_NOT_ALLOWED  # type: ignore[index]


def _run_apart(coro: Any) -> Any:
    """Run a coroutine on its own loop in a thread, whatever loop this thread already runs."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_printing_at_a_window_without_a_relay_says_no_agent_and_direct_printers_still_print() -> None:
    from datetime import UTC, date, datetime

    from printer.documents import AcceptanceReceipt
    from queue_server.printing.windows import print_at_window

    slip = AcceptanceReceipt("剑阁县普安镇便民服务中心", "BJ20261201-0001", "城乡居民养老保险待遇领取申请", "王*英",
                             datetime(2026, 12, 1, 2, tzinfo=UTC), date(2026, 12, 8), 5, 1, 18,
                             "https://hall.example/m/c/1?token=t")
    with pytest.raises(ApiError) as err:
        _run_apart(print_at_window(None, "puan", slip, "agent://win1#puan", 1))
    assert err.value.code == "printer_fault" and "打印代理未连接" in err.value.message
    assert _run_apart(print_at_window(None, "puan", slip, "memory://", 1)) == "ok"
    with pytest.raises(ApiError):
        _run_apart(print_at_window(None, "puan", slip, "tcp://127.0.0.1:9?width=80", 1))  # refused: offline
