"""A virtual ESC/POS printer: a TCP server that draws each receipt it receives to a PNG."""

from __future__ import annotations

import logging
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from printer.escpos_decode import EscPosInterpreter
from printer.fonts import find_cjk_face
from printer.paper import raster_fingerprint
from printer.profile import DOTS_BY_WIDTH_MM
from printer.status import PrinterStatus

log = logging.getLogger(__name__)
__all__ = ["EscPosInterpreter", "ReceivedReceipt", "VirtualPrinter", "raster_fingerprint"]


@dataclass
class ReceivedReceipt:
    """One receipt the virtual printer cut off: its picture and a text transcript."""

    index: int
    image: Image.Image
    transcript: str
    png_path: Path | None = None
    text_path: Path | None = None
    cut: bool = True

    @property
    def lines(self) -> list[str]:
        """Return the transcript's lines."""
        return self.transcript.splitlines()


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        vp = self.server.printer
        interp = EscPosInterpreter(vp.dots, vp.face, vp.status)
        sock: socket.socket = self.request
        sock.settimeout(vp.idle_timeout)
        try:
            while True:
                try:
                    data = sock.recv(65536)
                except (TimeoutError, OSError):
                    break
                if not data:
                    break
                reply = interp.feed(data)
                if reply:
                    sock.sendall(reply)
                vp._collect(interp)
        except OSError as exc:
            log.info("virtual printer connection ended: %s", exc)
        finally:
            interp.close()
            vp._collect(interp)
            for item in interp.unknown:
                log.debug("virtual printer skipped unknown command %s", item)


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    printer: VirtualPrinter


@dataclass
class VirtualPrinter:
    """A TCP ESC/POS printer emulator; start() in-process, read .receipts, stop()."""

    host: str = "127.0.0.1"
    port: int = 9100
    out_dir: Path | None = None
    status: PrinterStatus = PrinterStatus.OK
    width_mm: int = 80
    font_path: str | None = None
    prefix: str = "receipt"
    idle_timeout: float = 30.0
    receipts: list[ReceivedReceipt] = field(default_factory=list)
    dropped: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.dots = DOTS_BY_WIDTH_MM[self.width_mm]
        self.face = find_cjk_face(self.font_path)

    def start(self) -> VirtualPrinter:
        """Bind and serve in a background thread; port 0 picks a free port (see .port)."""
        server = _Server((self.host, self.port), _Handler, bind_and_activate=True)
        server.printer = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1},
            name=f"virtual-printer:{self.port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> VirtualPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Return the tcp:// URL that reaches this printer."""
        return f"tcp://{self.host}:{self.port}"

    def set_status(self, status: PrinterStatus) -> None:
        """Change what the printer reports from the next connection on."""
        self.status = status

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedReceipt]:
        """Block until at least count receipts arrived; return them (raise on timeout)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.receipts) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"virtual printer got {len(self.receipts)} of {count}")
                self._lock.wait(left)
            return list(self.receipts)

    def _collect(self, interp: EscPosInterpreter) -> None:
        done, interp.finished = interp.finished, []
        if not done:
            return
        if self.status not in (PrinterStatus.OK, PrinterStatus.PAPER_LOW):
            # A printer that is out of paper or open prints nothing.
            with self._lock:
                self.dropped += len(done)
            return
        with self._lock:
            for image, text, cut in done:
                index = len(self.receipts) + 1
                rec = ReceivedReceipt(index, image, text, cut=cut)
                if self.out_dir is not None:
                    self.out_dir.mkdir(parents=True, exist_ok=True)
                    rec.png_path = self.out_dir / f"{self.prefix}-{index:04d}.png"
                    rec.text_path = rec.png_path.with_suffix(".txt")
                    image.save(rec.png_path)
                    rec.text_path.write_text(text, encoding="utf-8")
                self.receipts.append(rec)
            self._lock.notify_all()
