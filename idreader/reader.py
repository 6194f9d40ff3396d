"""The ID-card reader driver: one find/select/read cycle over serial (pyserial) or TCP."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from idreader.card import Card
from idreader.protocol import (
    FIND_CARD,
    FIND_FAILED,
    FOUND,
    OK,
    READ_BASE,
    SELECT_CARD,
    SELECT_FAILED,
    FrameBuffer,
    ProtocolError,
    Reply,
    build_command,
    decode_base,
)
from idreader.settings import IdReaderSettings

__all__ = ["Card", "Reader", "ReaderError", "ReaderTarget", "open_reader", "parse_reader_url"]


class ReaderError(Exception):
    """A reader fault, a timeout or a garbled answer; the message is Chinese first, for staff."""


@dataclass(frozen=True)
class ReaderTarget:
    """Where a reader is: a serial device or a TCP address."""

    scheme: str
    path: str = ""
    host: str = ""
    port: int = 0
    baudrate: int = 115200


def parse_reader_url(url: str, default_baudrate: int = 115200) -> ReaderTarget:
    """Parse serial:///dev/ttyUSB0?baudrate=115200 or tcp://HOST:PORT, or raise ReaderError."""
    parts = urlsplit(url.strip())
    if parts.scheme == "tcp":
        try:
            port = parts.port
        except ValueError as exc:
            raise ReaderError(f"读卡器地址端口无效：{url} (tcp://HOST:PORT)") from exc
        if not parts.hostname or port is None:
            raise ReaderError(f"读卡器地址应写成 tcp://主机:端口：{url}")
        return ReaderTarget("tcp", host=parts.hostname, port=port)
    if parts.scheme == "serial":
        path = parts.path or parts.netloc
        if not path:
            raise ReaderError(f"读卡器串口地址缺少设备路径：{url} (serial:///dev/ttyUSB0)")
        query = parse_qs(parts.query)
        try:
            baudrate = int(query.get("baudrate", [default_baudrate])[0])
        except ValueError as exc:
            raise ReaderError(f"读卡器波特率无效：{url}") from exc
        if baudrate <= 0:
            raise ReaderError(f"读卡器波特率无效：{url}")
        return ReaderTarget("serial", path=path, baudrate=baudrate)
    raise ReaderError(f"不支持的读卡器地址：{url}（应为 serial:///dev/ttyUSB0 或 tcp://主机:端口）")


class _Closed(Exception):
    """The reader's end of the link went away."""


class _Link(Protocol):
    def write(self, data: bytes) -> None: ...

    def read(self, timeout: float) -> bytes: ...

    def drain(self) -> None: ...

    def close(self) -> None: ...


class _TcpLink:
    def __init__(self, target: ReaderTarget, timeout: float) -> None:
        self.name = f"{target.host}:{target.port}"
        try:
            self.sock = socket.create_connection((target.host, target.port), timeout=timeout)
        except OSError as exc:
            raise ReaderError(f"无法连接读卡器 {self.name}：{exc}") from exc
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def write(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read(self, timeout: float) -> bytes:
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data = self.sock.recv(4096)
        except TimeoutError:
            return b""
        if not data:
            raise _Closed(self.name)
        return data

    def drain(self) -> None:
        self.sock.setblocking(False)
        try:
            while self.sock.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        finally:
            self.sock.setblocking(True)

    def close(self) -> None:
        self.sock.close()


class _SerialLink:
    def __init__(self, target: ReaderTarget) -> None:
        import serial  # deferred: only serial readers need pyserial loaded

        self.name = target.path
        try:
            self.port: Any = serial.Serial(target.path, target.baudrate, timeout=0.05, write_timeout=2.0)
        except (OSError, serial.SerialException) as exc:
            raise ReaderError(f"无法打开读卡器串口 {target.path}：{exc}") from exc

    def write(self, data: bytes) -> None:
        self.port.write(data)
        self.port.flush()

    def read(self, timeout: float) -> bytes:
        self.port.timeout = max(timeout, 0.001)
        return bytes(self.port.read(max(1, self.port.in_waiting)))

    def drain(self) -> None:
        self.port.reset_input_buffer()

    def close(self) -> None:
        self.port.close()


class Reader:
    """One reader; read_card() runs find, select and read. Use it as a context manager."""

    def __init__(self, target: ReaderTarget, settings: IdReaderSettings | None = None) -> None:
        self.target = target
        self.settings = settings or IdReaderSettings()
        self._link: _Link | None = None
        self._frames = FrameBuffer()
        self._connect()

    def _connect(self) -> _Link:
        if self._link is None:
            if self.target.scheme == "tcp":
                self._link = _TcpLink(self.target, self.settings.connect_timeout_seconds)
            else:
                self._link = _SerialLink(self.target)
        return self._link

    def _exchange(self, command: tuple[int, int], timeout: float) -> Reply:
        link = self._connect()
        self._frames.clear()
        try:
            link.drain()  # a late answer to an earlier, timed-out command must not pass for this one
            link.write(build_command(*command))
            deadline = time.monotonic() + timeout
            while True:
                reply = self._frames.next_reply()
                if reply is not None:
                    return reply
                left = deadline - time.monotonic()
                if left <= 0:
                    got = f"，只收到 {self._frames.pending} 字节" if self._frames.pending else ""
                    raise ReaderError(f"读卡器 {timeout:g} 秒内无应答{got} (no answer to {command[0]:02X} "
                                      f"{command[1]:02X})")
                self._frames.feed(link.read(left))
        except _Closed as exc:
            self.close()
            got = f"（应答只收到 {self._frames.pending} 字节）" if self._frames.pending else ""
            raise ReaderError(f"读卡器 {exc} 断开了连接{got} (connection closed)") from exc
        except ProtocolError as exc:
            self.close()
            raise ReaderError(str(exc)) from exc
        except ReaderError:
            self.close()
            raise
        except Exception as exc:  # OSError, pyserial's SerialException: the link is gone
            self.close()
            raise ReaderError(f"读卡器通信失败：{exc!r}") from exc

    def read_card(self) -> Card | None:
        """Run one find/select/read cycle; None when no card is on the reader."""
        s = self.settings
        found = self._exchange(FIND_CARD, s.command_timeout_seconds)
        if found.sw3 == FIND_FAILED:
            return None
        if found.sw3 not in (FOUND, OK):
            raise ReaderError(f"寻卡失败：{found.status_text}")
        selected = self._exchange(SELECT_CARD, s.command_timeout_seconds)
        if selected.sw3 == SELECT_FAILED:  # the card left between find and select
            return None
        if selected.sw3 != OK:
            raise ReaderError(f"选卡失败：{selected.status_text}")
        read = self._exchange(READ_BASE, s.read_timeout_seconds)
        if read.sw3 != OK:
            raise ReaderError(f"读卡失败，请重新放卡：{read.status_text}")
        try:
            return decode_base(read.data)
        except ProtocolError as exc:
            raise ReaderError(str(exc)) from exc

    def close(self) -> None:
        """Close the link; the next read_card opens it again."""
        link, self._link = self._link, None
        if link is not None:
            link.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = f"{self.target.host}:{self.target.port}" if self.target.scheme == "tcp" else self.target.path
        return f"Reader({self.target.scheme}://{where})"


def open_reader(url: str, settings: IdReaderSettings | None = None) -> Reader:
    """Open the reader at a serial:// or tcp:// URL; raise ReaderError when it cannot be reached."""
    settings = settings or IdReaderSettings()
    return Reader(parse_reader_url(url, settings.baudrate), settings)
