"""The access log: written off the request path, tokens redacted, and only if the setting says so."""

from __future__ import annotations

import io
import logging
import threading
import time
from pathlib import Path

import httpx
import pytest

from queue_server.core.logs import BackgroundStreamHandler
from tests.support.live import LiveServer, ServedProcess


class Recording(io.StringIO):
    """A stream that notes which thread wrote each piece."""

    def __init__(self) -> None:
        super().__init__()
        self.writers: set[str] = set()

    def write(self, text: str) -> int:
        """Write, noting the thread."""
        self.writers.add(threading.current_thread().name)
        return super().write(text)


def test_access_lines_are_written_by_the_log_writer_in_order_and_none_is_lost_at_close() -> None:
    stream = Recording()
    handler = BackgroundStreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("test.background")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        for n in range(500):
            logger.info("line %d", n)
    finally:
        logger.removeHandler(handler)
        handler.close()  # what logging's shutdown does at exit
    assert stream.getvalue().splitlines() == [f"line {n}" for n in range(500)]
    assert stream.writers == {"log-writer"}


class Stuck(io.StringIO):
    """A stream that takes nothing until it is released, like a journal that stopped reading."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.released = threading.Event()

    def write(self, text: str) -> int:
        """Note that a write began, wait for the release, then write."""
        self.entered.set()
        self.released.wait(timeout=30)
        return super().write(text)


def test_a_stuck_output_holds_no_request_and_the_lines_it_missed_are_counted() -> None:
    stream = Stuck()
    handler = BackgroundStreamHandler(stream, limit=5)
    handler.setFormatter(logging.Formatter("%(message)s"))

    def log(n: int) -> None:
        handler.handle(logging.makeLogRecord({"msg": "line %d", "args": (n,)}))

    try:
        log(0)
        assert stream.entered.wait(timeout=10)  # the writer is stuck writing line 0
        for n in range(1, 21):
            log(n)  # had this waited for the output, nothing would release it and none would drop
        stream.released.set()
    finally:
        handler.close()
    lines = stream.getvalue().splitlines()
    # Line 0 was being written; five waited in the queue; fifteen were counted, not kept.
    assert lines == [f"line {n}" for n in range(6)] + [
        "access log: 15 lines dropped while the output was not taking them"]


def test_resident_tokens_are_redacted_from_access_logs(live: LiveServer) -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    access = logging.getLogger("uvicorn.access")
    handler, level, propagate = Keep(), access.level, access.propagate
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        httpx.get(live.url + "/api/tickets/1", params={"token": "SECRET-TOKEN-123"})
        httpx.get(live.url + "/m/t/1", params={"token": "SECRET-TOKEN-456"})
        deadline = time.monotonic() + 5
        while len(records) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
        access.propagate = propagate
    assert len(records) >= 2, records
    assert not any("SECRET-TOKEN" in r for r in records), records
    assert any("token=[redacted]" in r for r in records)


@pytest.mark.parametrize("setting", ["1", "0"])
def test_the_access_log_is_a_setting(tmp_path: Path, setting: str) -> None:
    var = tmp_path / "var"
    var.mkdir()
    server = ServedProcess(var, "", workers=1, env={"HALL_ACCESS_LOG": setting}).start()
    try:
        assert httpx.get(server.url + "/api/catalog").status_code == 200
    finally:
        server.stop()
    lines = [line for line in server.log_path.read_text().splitlines() if '"GET /api/catalog' in line]
    assert len(lines) == (1 if setting == "1" else 0), lines
