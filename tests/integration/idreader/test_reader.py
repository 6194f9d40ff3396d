"""The real reader driver against the virtual reader: over TCP, over a serial line (a pty), and the CLI."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from idreader import Card, ReaderError, open_reader
from idreader.protocol import FIND_CARD, READ_BASE, SELECT_CARD
from idreader.settings import IdReaderSettings
from idreader.virtual import VirtualIdReader, card_from_spec

ZHANG = card_from_spec("张三,510823198001011234,address=四川省剑阁县普安镇东街12号")
LI = card_from_spec("李秀英,51082319551120002X")
FAST = IdReaderSettings(command_timeout_seconds=0.3, read_timeout_seconds=0.5, connect_timeout_seconds=1.0)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def virtual() -> Iterator[VirtualIdReader]:
    with VirtualIdReader(port=0, control_port=0) as reader:
        yield reader


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_card_reads_none(virtual: VirtualIdReader) -> None:
    with open_reader(virtual.url) as reader:
        assert reader.read_card() is None
    assert [(c.command, c.parameter) for c in virtual.commands] == [FIND_CARD]


def test_a_card_reads_whole(virtual: VirtualIdReader) -> None:
    virtual.present(ZHANG)
    with open_reader(virtual.url) as reader:
        card = reader.read_card()
    assert card == ZHANG
    assert isinstance(card, Card)
    assert (card.name, card.id_number, card.sex, card.nation) == ("张三", "510823198001011234", "男", "汉")
    assert card.address == "四川省剑阁县普安镇东街12号"
    assert [(c.command, c.parameter) for c in virtual.commands] == [FIND_CARD, SELECT_CARD, READ_BASE]
    assert virtual.cards_read == 1


def test_cards_come_and_go_on_one_connection(virtual: VirtualIdReader) -> None:
    with open_reader(virtual.url) as reader:
        seen = []
        for step in (None, ZHANG, ZHANG, None, LI, None):
            if step is None:
                virtual.remove()
            else:
                virtual.present(step)
            seen.append(reader.read_card())
    assert seen == [None, ZHANG, ZHANG, None, LI, None]
    assert LI.valid_to is None and seen[4] is not None and seen[4].valid_to is None  # 长期 survives the wire


def test_a_reader_that_closes_mid_frame_is_a_reader_error(virtual: VirtualIdReader) -> None:
    virtual.present(ZHANG)
    with open_reader(virtual.url, FAST) as reader:
        virtual.set_fault("cut")
        with pytest.raises(ReaderError, match="断开了连接（应答只收到 7 字节）"):
            reader.read_card()
        virtual.set_fault(None)
        assert reader.read_card() == ZHANG  # the next cycle connects again


def test_a_silent_reader_times_out_with_a_clear_message(virtual: VirtualIdReader) -> None:
    virtual.set_fault("silent")
    with open_reader(virtual.url, FAST) as reader:
        t0 = time.monotonic()
        with pytest.raises(ReaderError, match=r"0\.3 秒内无应答"):
            reader.read_card()
        assert 0.25 < time.monotonic() - t0 < 2.0


def test_a_garbled_reply_is_a_reader_error(virtual: VirtualIdReader) -> None:
    virtual.present(ZHANG)
    virtual.set_fault("bad_checksum")
    with open_reader(virtual.url, FAST) as reader, pytest.raises(ReaderError, match="校验和"):
        reader.read_card()


@pytest.mark.parametrize(("fault", "message"), [("read_error", "读卡失败，请重新放卡：读证/卡操作失败"),
                                                ("sam_fault", "寻卡失败：SAM 自检失败")])
def test_reader_faults_are_named(virtual: VirtualIdReader, fault: str, message: str) -> None:
    virtual.present(ZHANG)
    virtual.set_fault(fault)  # type: ignore[arg-type]
    with open_reader(virtual.url, FAST) as reader, pytest.raises(ReaderError, match=message):
        reader.read_card()


def test_no_reader_at_the_address() -> None:
    with pytest.raises(ReaderError, match="无法连接读卡器"):
        open_reader(f"tcp://127.0.0.1:{closed_port()}", FAST)


def test_a_stale_reply_does_not_pass_for_the_next_one() -> None:
    # A reader that answers each command twice (the second a leftover "found"): the driver
    # drops what is waiting before each command, so the leftover never answers a later one.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    virtual = VirtualIdReader(port=0)

    def serve() -> None:
        from idreader.protocol import FrameBuffer, build_reply

        conn, _ = listener.accept()
        frames = FrameBuffer()
        with conn:
            while data := conn.recv(4096):
                frames.feed(data)
                while (command := frames.next_command()) is not None:
                    reply = virtual.answer(command)
                    assert reply is not None
                    conn.sendall(reply + build_reply(0x9F, bytes(4)))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with open_reader(f"tcp://127.0.0.1:{port}", FAST) as reader:
            assert reader.read_card() is None
            assert reader.read_card() is None  # not the stale "found" of the first exchange
            virtual.present(ZHANG)
            assert reader.read_card() == ZHANG
    finally:
        listener.close()
        thread.join(timeout=5)


# ---- serial ----------------------------------------------------------------------------------


def test_a_serial_reader_on_a_pseudo_terminal(virtual: VirtualIdReader) -> None:
    path = virtual.start_pty()
    virtual.present(LI)
    with open_reader(f"serial://{path}?baudrate=115200", FAST) as reader:
        assert reader.target.baudrate == 115200 and reader.target.path == path
        assert reader.read_card() == LI
        virtual.remove()
        assert reader.read_card() is None


def test_a_missing_serial_device_is_a_reader_error(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="无法打开读卡器串口"):
        open_reader(f"serial://{tmp_path}/ttyUSB9", FAST)


# ---- the control port and the command ------------------------------------------------------


def control(port: int, *lines: str) -> list[str]:
    with socket.create_connection(("127.0.0.1", port), timeout=3) as sock:
        f = sock.makefile("rwb")
        answers = []
        for line in lines:
            f.write((line + "\n").encode())
            f.flush()
            answers.append(f.readline().decode().strip())
        return answers


def test_the_control_port_presents_and_removes_cards(virtual: VirtualIdReader) -> None:
    assert virtual.control_port is not None
    with open_reader(virtual.url) as reader:
        answers = control(virtual.control_port, "present 王芳,510823199203150048", "status")
        assert answers[0] == "ok Card(name='王*', id_number='510823********0048')"
        assert answers[1].startswith("card Card(name='王*'")
        card = reader.read_card()
        assert card is not None and (card.name, card.sex, card.birth.year) == ("王芳", "女", 1992)
        assert control(virtual.control_port, "remove", "status") == ["ok", "empty, read 1"]
        assert reader.read_card() is None
        assert control(virtual.control_port, "fault silent")[0] == "ok"
        assert virtual.fault == "silent"
        assert control(virtual.control_port, "fault none")[0] == "ok"


def test_the_control_port_explains_bad_lines(virtual: VirtualIdReader) -> None:
    assert virtual.control_port is not None
    bad_card, unknown, bad_fault = control(virtual.control_port, "present 王芳", "eject", "fault melt")
    assert bad_card.startswith("error 卡片应写成")
    assert unknown.startswith("error 命令应为")
    assert bad_fault.startswith("error unknown fault")


def test_hall_virtual_id_reader_serves_the_card_it_was_given() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "queue_server.cli", "virtual-id-reader", "--port", "0",
         "--card", "张三,510823198001011234"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"listening on (tcp://127\.0\.0\.1:\d+); control on 127\.0\.0\.1:(\d+)", line)
        assert found, line
        with open_reader(found.group(1)) as reader:
            card = reader.read_card()
            assert card is not None and card.name == "张三" and card.birth.year == 1980
            assert control(int(found.group(2)), "remove") == ["ok"]
            assert reader.read_card() is None
        assert "card read (1)" in proc.stdout.readline()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_hall_virtual_id_reader_refuses_a_bad_card() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "queue_server.cli", "virtual-id-reader", "--port", "0",
                           "--card", "张三"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "卡片应写成" in done.stderr and "Traceback" not in done.stderr
