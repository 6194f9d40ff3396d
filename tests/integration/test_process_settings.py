"""Process-wide settings a started server applies: the collector's threshold, the access log's writer."""

from __future__ import annotations

import gc
import io
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_server.core.logs import BackgroundStreamHandler
from tests.support.live import LiveServer


@pytest.fixture
def threshold() -> Iterator[tuple[int, int, int]]:
    """Give the test the collector's thresholds, and put them back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(700, before[1], before[2])
    try:
        yield gc.get_threshold()
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize("setting", [50_000, 1234, 0])
def test_a_started_server_sets_the_young_generation_threshold(
        tmp_path: Path, threshold: tuple[int, int, int], setting: int) -> None:
    server = LiveServer(tmp_path, gc_young_threshold=setting).start()
    try:
        young, middle, oldest = gc.get_threshold()
    finally:
        server.stop()
    assert young == (setting or 700)
    assert (middle, oldest) == threshold[1:]


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
