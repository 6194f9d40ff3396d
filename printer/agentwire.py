"""What a print agent and the server say to each other over the agent's websocket; pure.

The agent connects to ``{server}/ws/print-agent`` with its device token, says ``hello`` with
the printer names it holds, and the server answers ``welcome``. Then the server sends a ``job``
(ESC/POS bytes it laid out itself, in base64) and the agent answers it once: ``printed``, the
printer's ``fault``, or ``expired`` when the job's time ran out before it could start. The
server may say ``superseded`` when another agent announced one of the same printer names.
Every message is one JSON text frame with a ``type``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from printer.errors import PrinterConfigError
from printer.targets import agent_name, parse_printer_url

PROTOCOL = 1
WS_PATH = "/ws/print-agent"
MAX_PRINTERS = 32

# Close codes the server ends an agent's socket with (4000-4999 are the application's own).
CLOSE_BAD_TOKEN = 4401  # no such device token, or it was revoked
CLOSE_NOT_ALLOWED = 4403  # a token, but not a print agent of this hall
CLOSE_BAD_HELLO = 4400  # the first message was not a valid hello

Outcome = Literal["printed", "fault", "expired", "unknown_printer"]
OUTCOMES: tuple[Outcome, ...] = ("printed", "fault", "expired", "unknown_printer")


class WireError(ValueError):
    """A message that does not follow the protocol."""


@dataclass(frozen=True)
class Hello:
    """The agent's first message: the printers it holds, and which run of the agent it is."""

    printers: tuple[str, ...]
    instance: str
    protocol: int = PROTOCOL


@dataclass(frozen=True)
class Welcome:
    """The server's answer to hello: the hall it serves the agent for, and the names it took."""

    hall: str
    printers: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    """One document to print: ready ESC/POS bytes, and the seconds left to start printing it."""

    id: str
    printer: str
    data: bytes
    ttl: float
    title: str = ""


@dataclass(frozen=True)
class Answer:
    """The agent's one answer to a job."""

    id: str
    outcome: Outcome
    printer_status: str = ""
    message: str = ""  # Chinese, for the clerk
    detail: str = ""  # technical, for the logs


@dataclass(frozen=True)
class Superseded:
    """Another agent announced this printer name later; jobs for it now go there."""

    printer: str


ToAgent = Welcome | Job | Superseded
ToServer = Hello | Answer


def encode(message: ToAgent | ToServer) -> str:
    """Write a message as its JSON text frame."""
    body: dict[str, Any]
    if isinstance(message, Hello):
        body = {"type": "hello", "protocol": message.protocol, "instance": message.instance,
                "printers": list(message.printers)}
    elif isinstance(message, Welcome):
        body = {"type": "welcome", "hall": message.hall, "printers": list(message.printers)}
    elif isinstance(message, Job):
        body = {"type": "job", "id": message.id, "printer": message.printer, "ttl": message.ttl,
                "title": message.title, "data": base64.b64encode(message.data).decode("ascii")}
    elif isinstance(message, Answer):
        body = {"type": "answer", "id": message.id, "outcome": message.outcome,
                "printer_status": message.printer_status, "message": message.message,
                "detail": message.detail}
    else:
        body = {"type": "superseded", "printer": message.printer}
    return json.dumps(body, ensure_ascii=False)


def _load(text: str | bytes) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise WireError(f"not JSON: {exc}") from exc
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        raise WireError("a message is a JSON object with a type")
    return body


def _text(body: dict[str, Any], key: str, limit: int, *, required: bool = True) -> str:
    value = body.get(key, None if required else "")
    if not isinstance(value, str) or len(value) > limit or (required and not value):
        raise WireError(f"{key!r} must be a string of at most {limit} characters")
    return value


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or len(value) > MAX_PRINTERS:
        raise WireError(f"printers must be a list of 1 to {MAX_PRINTERS} names")
    try:
        names = tuple(agent_name(n) for n in value if isinstance(n, str))
    except PrinterConfigError as exc:
        raise WireError(str(exc)) from exc
    if len(names) != len(value) or len(set(names)) != len(names):
        raise WireError("printer names must be distinct strings")
    return names


def decode_for_server(text: str | bytes) -> ToServer:
    """Read what an agent sent; raise WireError for anything else."""
    body = _load(text)
    kind = body["type"]
    if kind == "hello":
        if body.get("protocol") != PROTOCOL:
            raise WireError(f"protocol {body.get('protocol')!r} is not {PROTOCOL}")
        return Hello(_names(body.get("printers")), _text(body, "instance", 64), PROTOCOL)
    if kind == "answer":
        outcome = body.get("outcome")
        if outcome not in OUTCOMES:
            raise WireError(f"outcome must be one of {', '.join(OUTCOMES)}")
        return Answer(_text(body, "id", 64), outcome, _text(body, "printer_status", 32, required=False),
                      _text(body, "message", 200, required=False),
                      _text(body, "detail", 500, required=False))
    raise WireError(f"unexpected message type {kind!r}")


def decode_for_agent(text: str | bytes) -> ToAgent:
    """Read what the server sent; raise WireError for anything else."""
    body = _load(text)
    kind = body["type"]
    if kind == "welcome":
        return Welcome(_text(body, "hall", 64), _names(body.get("printers")))
    if kind == "job":
        ttl = body.get("ttl")
        if not isinstance(ttl, int | float) or isinstance(ttl, bool) or not math.isfinite(ttl):
            raise WireError("ttl must be a number of seconds")
        try:
            data = base64.b64decode(_text(body, "data", 4_000_000), validate=True)
        except binascii.Error as exc:
            raise WireError(f"data is not base64: {exc}") from exc
        return Job(_text(body, "id", 64), _names([body.get("printer")])[0], data, float(ttl),
                   _text(body, "title", 200, required=False))
    if kind == "superseded":
        return Superseded(_names([body.get("printer")])[0])
    raise WireError(f"unexpected message type {kind!r}")


def socket_url(server: str) -> str:
    """Return the agent's websocket URL for a server URL (http(s)://host[:port][/h/CODE])."""
    parts = urlsplit(server.strip())
    scheme = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}.get(parts.scheme.lower())
    if scheme is None or not parts.hostname:
        raise PrinterConfigError(
            f"--server must be http(s)://HOST[:PORT][/h/CODE], not {server!r}",
            message_zh="服务器地址应为 http(s)://主机[:端口][/h/大厅代码]")
    if parts.query or parts.fragment:
        raise PrinterConfigError(f"--server takes no query or fragment: {server!r}",
                                 message_zh="服务器地址不能带 ? 或 # 部分")
    path = parts.path.rstrip("/")
    if path.endswith(WS_PATH):
        path = path[: -len(WS_PATH)]
    return urlunsplit((scheme, parts.netloc, path + WS_PATH, "", ""))


def printer_option(value: str) -> tuple[str, str]:
    """Read one --printer NAME=PRINTER_URL option; the URL is any printer URL but agent://."""
    name, sep, url = value.partition("=")
    if not sep or not url.strip():
        raise PrinterConfigError(f"--printer takes NAME=PRINTER_URL, not {value!r}",
                                 message_zh="--printer 的格式是 名称=打印机地址")
    target = parse_printer_url(url)
    if target.scheme == "agent":
        raise PrinterConfigError(f"--printer {value!r} must name a local printer, not agent://",
                                 message_zh="--printer 必须是本机能直接连接的打印机")
    return agent_name(name, value), url.strip()
