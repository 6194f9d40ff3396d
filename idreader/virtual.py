"""A virtual 二代证 reader: a TCP server speaking the SAM frames, presenting whatever card it is told to.

    reader = VirtualIdReader(port=0).start()
    reader.present(card)   # the next find/select/read gets this card
    reader.remove()        # the next find answers 00 00 80 (no card)
    reader.set_fault("cut")  # misbehave: silent, cut, bad_checksum, read_error, sam_fault
    reader.stop()

A control port (loopback, one text line per command) does the same from a shell or a demo script:
`present 张三,510823198001011234[,key=value…]`, `remove`, `status`, `fault NAME|none`.
"""

from __future__ import annotations

import logging
import os
import select
import socket
import socketserver
import threading
from datetime import date
from typing import Literal

from idreader.card import Card
from idreader.protocol import (
    FIND_CARD,
    FIND_FAILED,
    FOUND,
    OK,
    READ_BASE,
    READ_FAILED,
    SAM_RESET,
    SAM_STATUS,
    SELECT_CARD,
    SELECT_FAILED,
    Command,
    FrameBuffer,
    ProtocolError,
    build_reply,
    encode_base,
)

log = logging.getLogger(__name__)
__all__ = ["FAULTS", "VirtualIdReader", "card_from_spec"]

Fault = Literal["silent", "cut", "bad_checksum", "read_error", "sam_fault"]
FAULTS: tuple[str, ...] = ("silent", "cut", "bad_checksum", "read_error", "sam_fault")
CHECKSUM_ERROR, COMMAND_ERROR, SAM_SELF_TEST_FAILED = 0x10, 0x21, 0x60

# Placeholders for cards given by name and number only (training and demos): a Jiange address.
DEMO_ADDRESS = "四川省剑阁县普安镇示例村1组1号"
DEMO_ISSUER = "剑阁县公安局"
DEMO_VALID_FROM = date(2020, 6, 1)


def _valid_to(birth: date, valid_from: date) -> date | None:
    """Return the expiry the law gives a card issued at that age: 5, 10, 20 years, or for life."""
    age = valid_from.year - birth.year - ((valid_from.month, valid_from.day) < (birth.month, birth.day))
    years = 5 if age < 16 else 10 if age <= 25 else 20 if age <= 45 else None
    if years is None:
        return None
    try:
        return valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February
        return valid_from.replace(year=valid_from.year + years, day=28)


def _parse_day(value: str) -> date:
    digits = value.replace("-", "")
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def card_from_spec(spec: str) -> Card:
    """Build a card from "NAME,ID_NUMBER[,sex=…,nation=…,birth=…,address=…,issuer=…,valid_from=…,valid_to=…]".

    Sex and birth come from the ID number unless given; valid_to may be 长期.
    """
    parts = [p.strip() for p in spec.split(",")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError("卡片应写成 姓名,身份证号[,字段=值…]，例如 张三,510823198001011234")
    name, number = parts[0], parts[1].upper()
    extra: dict[str, str] = {}
    for item in parts[2:]:
        key, sep, value = item.partition("=")
        if not sep or key not in {"sex", "nation", "birth", "address", "issuer", "valid_from", "valid_to"}:
            raise ValueError(f"无法识别的卡片字段：{item!r}")
        extra[key] = value
    if len(number) != 18:
        raise ValueError(f"身份证号应为 18 位：{number}")
    try:
        birth = _parse_day(extra.get("birth", number[6:14]))
        valid_from = _parse_day(extra["valid_from"]) if "valid_from" in extra else DEMO_VALID_FROM
        to_text = extra.get("valid_to")
        valid_to = (None if to_text == "长期" else _parse_day(to_text)) if to_text else _valid_to(birth, valid_from)
    except ValueError as exc:
        raise ValueError(f"卡片日期无法识别：{exc}") from exc
    sex = extra.get("sex") or ("男" if number[16].isdigit() and int(number[16]) % 2 else "女")
    return Card(name=name, sex=sex, nation=extra.get("nation", "汉"), birth=birth,
                address=extra.get("address", DEMO_ADDRESS), id_number=number,
                issuer=extra.get("issuer", DEMO_ISSUER), valid_from=valid_from, valid_to=valid_to)


class VirtualIdReader:
    """A TCP 二代证 reader emulator; start() serves in background threads, stop() frees the ports."""

    def __init__(self, port: int = 9300, host: str = "127.0.0.1", control_port: int | None = None,
                 card: Card | None = None) -> None:
        self.host, self.port, self.control_port = host, port, control_port
        self.card = card
        self.fault: Fault | None = None
        self.commands: list[Command] = []
        self.cards_read = 0
        self._lock = threading.Lock()
        self._servers: list[socketserver.TCPServer] = []
        self._threads: list[threading.Thread] = []
        self._ptys: list[int] = []
        self._stopping = threading.Event()

    # ---- what tests and demos call ----

    def present(self, card: Card) -> None:
        """Put a card on the reader."""
        with self._lock:
            self.card = card

    def remove(self) -> None:
        """Take the card away."""
        with self._lock:
            self.card = None

    def set_fault(self, fault: Fault | None) -> None:
        """Misbehave from the next command on (None: behave)."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {', '.join(FAULTS)}")
        self.fault = fault

    @property
    def url(self) -> str:
        """Return the tcp:// URL that reaches this reader."""
        return f"tcp://{self.host}:{self.port}"

    def start(self) -> VirtualIdReader:
        """Bind the reader port (and the control port, if one was asked for) and serve."""
        reader = _serve(self, (self.host, self.port), _ReaderHandler)
        self.port = reader.server_address[1]
        if self.control_port is not None:
            control = _serve(self, ("127.0.0.1", self.control_port), _ControlHandler)
            self.control_port = control.server_address[1]
        return self

    def start_pty(self) -> str:
        """Serve the same frames on a pseudo-terminal; return its device path (a serial:// reader)."""
        master, slave = os.openpty()
        path = os.ttyname(slave)
        import tty

        tty.setraw(slave)
        self._ptys += [master, slave]
        thread = threading.Thread(target=self._serve_pty, args=(master,), name=f"virtual-id-reader:{path}",
                                  daemon=True)
        thread.start()
        self._threads.append(thread)
        return path

    def stop(self) -> None:
        """Stop serving and release the ports."""
        self._stopping.set()
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        for fd in self._ptys:
            os.close(fd)
        self._servers, self._threads, self._ptys = [], [], []
        self._stopping.clear()

    def __enter__(self) -> VirtualIdReader:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- the reader's side of the protocol ----

    def answer(self, command: Command) -> bytes | None:
        """Return the reply frame to one command (None: stay silent)."""
        with self._lock:
            self.commands.append(command)
            card, fault = self.card, self.fault
        key = (command.command, command.parameter)
        if fault == "silent":
            return None
        if fault == "sam_fault":
            return build_reply(SAM_SELF_TEST_FAILED)
        if key in (SAM_STATUS, SAM_RESET):
            reply = build_reply(OK)
        elif key == FIND_CARD:
            reply = build_reply(FOUND, bytes(4)) if card else build_reply(FIND_FAILED)
        elif key == SELECT_CARD:
            reply = build_reply(OK, bytes(8)) if card else build_reply(SELECT_FAILED)
        elif key == READ_BASE:
            if card is None or fault == "read_error":
                reply = build_reply(READ_FAILED)
            else:
                reply = build_reply(OK, encode_base(card))
                with self._lock:
                    self.cards_read += 1
        else:
            reply = build_reply(COMMAND_ERROR)
        if fault == "bad_checksum":
            reply = reply[:-1] + bytes([reply[-1] ^ 0xFF])
        if fault == "cut":
            reply = reply[: len(reply) // 2]
        return reply

    def _serve_pty(self, fd: int) -> None:
        frames = FrameBuffer()
        while not self._stopping.is_set():
            if not select.select([fd], [], [], 0.1)[0]:
                continue
            try:
                data = os.read(fd, 4096)
            except OSError:  # EIO: nothing holds the terminal's other end
                return
            frames.feed(data)
            for reply in _replies(self, frames):
                os.write(fd, reply)


def _replies(reader: VirtualIdReader, frames: FrameBuffer) -> list[bytes]:
    out = []
    while True:
        try:
            command = frames.next_command()
        except ProtocolError:
            out.append(build_reply(CHECKSUM_ERROR))
            continue
        if command is None:
            return out
        reply = reader.answer(command)
        if reply is not None:
            out.append(reply)


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    reader: VirtualIdReader


def _serve(reader: VirtualIdReader, address: tuple[str, int], handler: type) -> _Server:
    server = _Server(address, handler)
    server.reader = reader
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name=f"virtual-id-reader:{server.server_address[1]}", daemon=True)
    thread.start()
    reader._servers.append(server)
    reader._threads.append(thread)
    return server


class _ReaderHandler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        frames = FrameBuffer()
        try:
            while data := sock.recv(4096):
                frames.feed(data)
                for reply in _replies(self.server.reader, frames):
                    sock.sendall(reply)
                    if self.server.reader.fault == "cut":
                        return  # half a frame, then the line goes dead
        except OSError as exc:
            log.info("virtual ID-card reader connection ended: %s", exc)


class _ControlHandler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        for raw in self.rfile:
            line = raw.decode("utf-8", errors="replace").strip()
            if line:
                self.wfile.write((control(self.server.reader, line) + "\n").encode("utf-8"))


def control(reader: VirtualIdReader, line: str) -> str:
    """Run one control-port command and return the answer line."""
    verb, _, rest = line.partition(" ")
    verb = verb.lower()
    try:
        if verb == "present":
            card = card_from_spec(rest)
            reader.present(card)
            return f"ok {card!r}"
        if verb == "remove":
            reader.remove()
            return "ok"
        if verb == "status":
            now = reader.card
            return f"card {now!r}, read {reader.cards_read}" if now else f"empty, read {reader.cards_read}"
        if verb == "fault":
            reader.set_fault(None if rest.strip() in ("", "none") else rest.strip())  # type: ignore[arg-type]
            return "ok"
    except ValueError as exc:
        return f"error {exc}"
    return "error 命令应为 present 姓名,身份证号 | remove | status | fault 名称|none"

