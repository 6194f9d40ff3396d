"""Logging: access logs without residents' tokens."""

from __future__ import annotations

import contextlib
import copy
import logging
import queue
import re
import threading
import time
from typing import Any, TextIO

TOKEN_IN_QUERY = re.compile(r"((?:^|[?&])token=)[^&#\s]*", re.IGNORECASE)


def redact(text: str) -> str:
    """Replace every token= value in a path or URL with a placeholder."""
    # Most of what passes here (addresses, methods, paths without a query) holds no "=", and
    # checking for one is far cheaper than the expression's scan; a request logs four strings.
    return TOKEN_IN_QUERY.sub(r"\1[redacted]", text) if "=" in text else text


class RedactTokens(logging.Filter):
    """Take resident tokens out of access-log lines: a log reader must not follow a ticket."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record's arguments in place; always keep the record."""
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


class BackgroundStreamHandler(logging.StreamHandler):
    """Format and write records in a thread of their own: a request only hands its line over.

    A request filters its record (tokens redacted) and queues it; it never waits for the output,
    so a stalled terminal or journal cannot hold up a response. The writer wakes when a line
    comes, lets ``interval`` pass, and writes all that arrived meanwhile in one write, so a busy
    hall costs it a few wake-ups a second instead of one a request. What is queued at shutdown
    is still written (``close``). When the output stops taking lines, at most ``limit`` wait:
    later ones are counted, not kept, and the count is written once the output moves again.
    """

    def __init__(self, stream: TextIO | None = None, limit: int = 10_000,
                 interval: float = 0.05) -> None:
        super().__init__(stream)
        self.interval = interval
        self._records: queue.Queue[logging.LogRecord | None] = queue.Queue(maxsize=limit)
        self._dropped = 0  # changed under the handler's lock (logging holds it around emit)
        self._writer = threading.Thread(target=self._write, name="log-writer", daemon=True)
        self._writer.start()

    def emit(self, record: logging.LogRecord) -> None:
        """Queue the record for the writer thread, or count it when the queue is full."""
        try:
            self._records.put_nowait(record)
        except queue.Full:
            self._dropped += 1

    def _write(self) -> None:
        while True:
            batch = [self._records.get()]  # asleep while nothing is logged
            if self.interval:
                time.sleep(self.interval)
            with contextlib.suppress(queue.Empty):
                while batch[-1] is not None:
                    batch.append(self._records.get_nowait())
            self._write_batch([r for r in batch if r is not None])
            if batch[-1] is None:
                return

    def _write_batch(self, records: list[logging.LogRecord]) -> None:
        lines = []
        for record in records:
            try:
                lines.append(self.format(record) + self.terminator)
            except Exception:
                self.handleError(record)
        if self._dropped:
            with self.lock:  # type: ignore[union-attr]
                dropped, self._dropped = self._dropped, 0
            lines.append(f"access log: {dropped} lines dropped while the output was not taking them"
                         f"{self.terminator}")
        if not lines:
            return
        try:
            self.stream.write("".join(lines))
            self.flush()
        except Exception:
            self.handleError(records[-1] if records else logging.makeLogRecord({}))

    def close(self) -> None:
        """Write what is queued, then stop the writer thread (logging's shutdown calls this)."""
        if self._writer.is_alive():
            with contextlib.suppress(queue.Full):
                self._records.put(None, timeout=5)
            self._writer.join(timeout=5)
        super().close()


def log_config() -> dict[str, Any]:
    """Return uvicorn's logging configuration: tokens redacted, access lines written in the background."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_tokens"] = {"()": "queue_server.core.logs.RedactTokens"}
    config["handlers"]["access"]["filters"] = ["redact_tokens"]
    config["handlers"]["access"]["class"] = "queue_server.core.logs.BackgroundStreamHandler"
    return config


def install_access_filter() -> None:
    """Attach the token filter to uvicorn's access logger (for servers started in-process)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
