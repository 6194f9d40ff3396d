"""Logging: access logs without residents' tokens."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

TOKEN_IN_QUERY = re.compile(r"((?:^|[?&])token=)[^&#\s]*", re.IGNORECASE)


def redact(text: str) -> str:
    """Replace every token= value in a path or URL with a placeholder."""
    return TOKEN_IN_QUERY.sub(r"\1[redacted]", text)


class RedactTokens(logging.Filter):
    """Take resident tokens out of access-log lines: a log reader must not follow a ticket."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record's arguments in place; always keep the record."""
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def log_config() -> dict[str, Any]:
    """Return uvicorn's logging configuration with the token filter on the access log."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_tokens"] = {"()": "queue_server.logs.RedactTokens"}
    config["handlers"]["access"]["filters"] = ["redact_tokens"]
    return config


def install_access_filter() -> None:
    """Attach the token filter to uvicorn's access logger (for servers started in-process)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
