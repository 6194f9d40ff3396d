"""Status over real TCP, and failures that must raise our errors without hanging."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from printer.cli import main as cli_main
from printer.errors import PrinterError, PrinterFault, PrinterUnreachable, PrinterWriteFailed
from printer.receipt import sample_receipt
from printer.service import check_status, print_receipt
from printer.settings import PrinterSettings
from printer.status import PrinterStatus
from printer.transport import TcpTransport
from printer.virtual import VirtualPrinter

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[VirtualPrinter]:
    vp = VirtualPrinter(port=0, out_dir=tmp_path, width_mm=58)
    vp.start()
    try:
        yield vp
    finally:
        vp.stop()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A socket that accepts connections (via the backlog) and never says anything."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    try:
        yield srv
    finally:
        srv.close()


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return int(port)


@pytest.mark.parametrize("status", list(PrinterStatus))
def test_check_status_reports_what_the_printer_answers(
    printer: VirtualPrinter, status: PrinterStatus
) -> None:
    printer.set_status(status)
    assert check_status(printer.url, timeout=2).status is status


@pytest.mark.parametrize("status", [PrinterStatus.PAPER_OUT, PrinterStatus.COVER_OPEN])
def test_printing_to_a_faulty_printer_raises_fault_and_sends_nothing(
    printer: VirtualPrinter, status: PrinterStatus
) -> None:
    printer.set_status(status)
    with pytest.raises(PrinterFault) as info:
        print_receipt(sample_receipt(), printer.url, PrinterSettings(timeout_seconds=2))
    assert info.value.status is status
    assert info.value.message_zh
    time.sleep(0.2)
    assert printer.receipts == [] and printer.dropped == 0


def test_paper_low_still_prints_and_is_reported(printer: VirtualPrinter) -> None:
    printer.set_status(PrinterStatus.PAPER_LOW)
    report = print_receipt(sample_receipt(), printer.url, PrinterSettings(timeout_seconds=2))
    assert report.status is PrinterStatus.PAPER_LOW
    assert len(printer.wait_for(1)) == 1


def test_a_printer_that_never_answers_is_offline_within_the_timeout(
    listener: socket.socket,
) -> None:
    url = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    start = time.monotonic()
    report = check_status(url, timeout=0.5)
    elapsed = time.monotonic() - start
    assert report.status is PrinterStatus.OFFLINE
    assert 0.4 <= elapsed < 1.5


def test_print_to_a_silent_printer_raises_fault_offline(listener: socket.socket) -> None:
    url = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    with pytest.raises(PrinterFault) as info:
        print_receipt(sample_receipt(), url, PrinterSettings(timeout_seconds=0.5))
    assert info.value.status is PrinterStatus.OFFLINE


def test_refused_connection_raises_unreachable_and_status_is_offline() -> None:
    url = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(PrinterUnreachable) as info:
        print_receipt(sample_receipt(), url, PrinterSettings(timeout_seconds=1))
    assert isinstance(info.value, PrinterError) and "连接" in info.value.message_zh
    assert check_status(url, timeout=1).status is PrinterStatus.OFFLINE


def test_peer_closing_mid_write_raises_write_failed() -> None:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def accept_then_reset() -> None:
        conn, _ = srv.accept()
        conn.recv(1024)
        # SO_LINGER 0 turns close() into a reset, as a printer rebooting mid-job does.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        conn.close()

    thread = threading.Thread(target=accept_then_reset)
    thread.start()
    try:
        with pytest.raises(PrinterWriteFailed) as info:
            TcpTransport("127.0.0.1", srv.getsockname()[1], timeout=3).write(b"\x00" * 32_000_000)
        assert "中断" in info.value.message_zh
    finally:
        thread.join(5)
        srv.close()


def test_peer_that_stops_reading_raises_write_failed_at_the_timeout(
    listener: socket.socket,
) -> None:
    port = listener.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(PrinterWriteFailed):
        TcpTransport("127.0.0.1", port, timeout=0.5, min_throughput=1e12).write(
            b"\x00" * 64_000_000
        )
    assert time.monotonic() - start < 5


def test_printer_test_command_exits_nonzero_with_the_reason_on_a_fault(
    printer: VirtualPrinter, capsys: pytest.CaptureFixture[str]
) -> None:
    printer.set_status(PrinterStatus.COVER_OPEN)
    assert cli_main(["printer-test", printer.url, "--timeout", "2"]) == 2
    assert "cover_open" in capsys.readouterr().err
    printer.set_status(PrinterStatus.OK)
    assert cli_main(["printer-test", printer.url + "?width=58&text=raster"]) == 0
    assert len(printer.wait_for(1)) == 1
    assert cli_main(["printer-test", f"tcp://127.0.0.1:{free_port()}"]) == 1


def test_virtual_printer_command_serves_and_writes_png_and_transcript(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "printer.cli", "virtual-printer", "--port", "0",
         "--out", str(tmp_path), "--width", "58"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        banner = proc.stdout.readline()
        url = banner.split()[4]
        assert url.startswith("tcp://127.0.0.1:")
        print_receipt(sample_receipt(), url + "?width=58", PrinterSettings(timeout_seconds=3))
        deadline = time.monotonic() + 10
        while not (tmp_path / "receipt-0001.txt").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "前面还有 3 人等候" in (tmp_path / "receipt-0001.txt").read_text(encoding="utf-8")
        assert (tmp_path / "receipt-0001.png").stat().st_size > 1000
    finally:
        proc.terminate()
        proc.wait(5)
