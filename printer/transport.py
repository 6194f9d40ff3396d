"""The byte pipes behind printer URLs: each call opens, does one thing, and closes."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from printer.errors import PrinterConfigError, PrinterUnreachable, PrinterWriteFailed
from printer.status import STATUS_QUERY, PrinterStatus, parse_status
from printer.targets import PrinterTarget, parse_printer_url

__all__ = ["PrinterTarget", "Transport", "open_transport", "parse_printer_url"]


class Transport(Protocol):
    """A way to reach one printer; every call opens, acts once and closes."""

    supports_status: bool

    def write(self, data: bytes) -> None:
        """Send one job to the printer."""
        ...

    def query_status(self) -> tuple[PrinterStatus, str]:
        """Ask the printer for its status (DLE EOT 1..4)."""
        ...


def _collect(read: Any, deadline: float, want: int = 4) -> bytes:
    """Read until want bytes arrived or the deadline passed; a silent printer yields less."""
    reply = b""
    while len(reply) < want and time.monotonic() < deadline:
        chunk = read(deadline - time.monotonic())
        if chunk is None:
            continue
        if not chunk:
            break
        reply += chunk
    return reply


@dataclass
class TcpTransport:
    """A raw TCP (JetDirect, port 9100) printer."""

    host: str
    port: int = 9100
    timeout: float = 3.0
    # A printer takes data only as fast as it prints once its buffer is full; a raster
    # receipt may need several seconds, so the write deadline grows with the job size.
    min_throughput: float = 20_000.0
    supports_status: bool = True

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise PrinterUnreachable(
                f"cannot connect to printer {self.host}:{self.port}: {exc}"
            ) from exc

    def write(self, data: bytes) -> None:
        """Send one job over a fresh connection."""
        sock = self._connect()
        try:
            sock.settimeout(self.timeout + len(data) / self.min_throughput)
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError as exc:  # includes timeouts: a stalled printer must not hang the kiosk
            raise PrinterWriteFailed(
                f"sending to printer {self.host}:{self.port} failed: {exc!r}"
            ) from exc
        finally:
            sock.close()

    def query_status(self) -> tuple[PrinterStatus, str]:
        """Send DLE EOT 1..4 and parse the replies, giving up at the timeout."""
        sock = self._connect()
        try:
            sock.sendall(STATUS_QUERY)

            def read(left: float) -> bytes | None:
                sock.settimeout(max(0.001, left))
                try:
                    return sock.recv(16)
                except TimeoutError:
                    return None

            reply = _collect(read, time.monotonic() + self.timeout)
        except OSError as exc:
            return PrinterStatus.OFFLINE, f"status query failed: {exc!r}"
        finally:
            sock.close()
        return parse_status(reply)


@dataclass
class SerialTransport:
    """A printer on a serial port (pyserial)."""

    path: str
    baudrate: int = 9600
    timeout: float = 3.0
    supports_status: bool = True

    def _open(self, write_timeout: float) -> Any:
        import serial  # deferred: only serial users need pyserial loaded

        try:
            return serial.Serial(
                self.path, self.baudrate, timeout=0.05, write_timeout=write_timeout
            )
        except (OSError, serial.SerialException) as exc:
            raise PrinterUnreachable(f"cannot open serial printer {self.path}: {exc}") from exc

    def write(self, data: bytes) -> None:
        """Send one job; the write timeout allows for the line speed."""
        # 10 bits per byte on the wire; a raster receipt at 9600 baud takes a while.
        port = self._open(self.timeout + len(data) * 10 * 1.5 / self.baudrate)
        try:
            port.write(data)
            port.flush()
        except Exception as exc:
            raise PrinterWriteFailed(
                f"writing to serial printer {self.path} failed: {exc}"
            ) from exc
        finally:
            port.close()

    def query_status(self) -> tuple[PrinterStatus, str]:
        """Send DLE EOT 1..4 and parse the replies."""
        port = self._open(self.timeout)
        try:
            port.write(STATUS_QUERY)
            reply = _collect(lambda _left: port.read(4), time.monotonic() + self.timeout)
        except Exception as exc:
            return PrinterStatus.OFFLINE, f"status query failed: {exc}"
        finally:
            port.close()
        return parse_status(reply)


@dataclass
class UsbTransport:
    """A USB printer, through python-escpos' Usb driver (pyusb)."""

    vendor_id: int
    product_id: int
    timeout: float = 3.0
    supports_status: bool = True

    def _open(self) -> Any:
        from escpos.printer import Usb  # deferred: importing pyusb probes for a backend

        dev = Usb(self.vendor_id, self.product_id, timeout=int(self.timeout * 1000))
        try:
            dev.open(raise_not_found=True)
        except Exception as exc:
            dev.close()
            raise PrinterUnreachable(
                f"cannot open USB printer {self.vendor_id:04x}:{self.product_id:04x}: {exc}"
            ) from exc
        return dev

    def write(self, data: bytes) -> None:
        """Send one job to the bulk-out endpoint."""
        dev = self._open()
        try:
            dev._raw(data)
        except Exception as exc:
            raise PrinterWriteFailed(f"writing to USB printer failed: {exc}") from exc
        finally:
            dev.close()

    def query_status(self) -> tuple[PrinterStatus, str]:
        """Send DLE EOT 1..4 and read the replies from the bulk-in endpoint."""
        dev = self._open()
        try:
            dev._raw(STATUS_QUERY)
            reply = _collect(lambda _left: bytes(dev._read()), time.monotonic() + self.timeout)
        except Exception as exc:
            return PrinterStatus.OFFLINE, f"status query failed: {exc}"
        finally:
            dev.close()
        return parse_status(reply)


@dataclass
class FileTransport:
    """A device node such as /dev/usb/lp0 (write-only: no status channel)."""

    path: str
    supports_status: bool = False

    def write(self, data: bytes) -> None:
        """Write one job to the device file."""
        try:
            fh = open(self.path, "wb", buffering=0)  # noqa: SIM115 - closed in finally below
        except OSError as exc:
            raise PrinterUnreachable(f"cannot open printer device {self.path}: {exc}") from exc
        try:
            fh.write(data)
        except OSError as exc:
            raise PrinterWriteFailed(f"writing to {self.path} failed: {exc}") from exc
        finally:
            fh.close()

    def query_status(self) -> tuple[PrinterStatus, str]:
        """Report that status is unknown; the kernel lp driver gives no DLE EOT channel."""
        return PrinterStatus.OK, "status not available over file://"


@dataclass
class MemoryTransport:
    """An in-memory printer for tests and previews: keeps each job, reports a set status."""

    status: PrinterStatus = PrinterStatus.OK
    jobs: list[bytes] = field(default_factory=list)
    fail_with: Exception | None = None
    supports_status: bool = True

    def write(self, data: bytes) -> None:
        """Keep the job (or raise the configured failure)."""
        if self.fail_with is not None:
            raise self.fail_with
        self.jobs.append(bytes(data))

    def query_status(self) -> tuple[PrinterStatus, str]:
        """Return the configured status."""
        return self.status, ""


def open_transport(target: PrinterTarget, timeout: float = 3.0) -> Transport:
    """Return the transport for a parsed printer URL (nothing is opened yet)."""
    if target.scheme == "tcp":
        return TcpTransport(target.host, target.port, timeout)
    if target.scheme == "serial":
        return SerialTransport(target.path, target.baudrate, timeout)
    if target.scheme == "usb":
        return UsbTransport(target.vendor_id, target.product_id, timeout)
    if target.scheme == "file":
        return FileTransport(target.path)
    if target.scheme == "agent":
        # The server hands agent:// jobs to the print agent in the hall; nothing here can open it.
        raise PrinterConfigError(f"agent://{target.name} is printed through its print agent, not opened here")
    return MemoryTransport()
