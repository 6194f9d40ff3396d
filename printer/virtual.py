"""A virtual ESC/POS printer: a TCP server that draws each receipt it receives to a PNG."""

from __future__ import annotations

import hashlib
import logging
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from printer.fonts import FontFace, find_cjk_face
from printer.profile import DOTS_BY_WIDTH_MM
from printer.status import PrinterStatus, status_bytes

log = logging.getLogger(__name__)

ESC, FS, GS, DLE = 0x1B, 0x1C, 0x1D, 0x10
CODEPAGES = {0: "cp437", 2: "cp850", 3: "cp860", 16: "cp1252", 17: "cp866", 19: "cp858"}
QR_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M,
         50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}
DEFAULT_LINE_SPACING = 30  # ESC 2: about 1/6 inch at 203 dpi


class _Incomplete(Exception):
    """The buffer ends inside a command; wait for more bytes."""


def raster_fingerprint(width_bytes: int, height: int, data: bytes) -> str:
    """Return the short hash the transcript shows for a GS v 0 bitmap."""
    head = width_bytes.to_bytes(2, "little") + height.to_bytes(2, "little")
    return hashlib.sha1(head + data).hexdigest()[:12]


@dataclass
class _Glyph:
    ch: str
    cell: int  # width in dots
    w: int
    h: int
    bold: bool
    invert: bool


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


@lru_cache(maxsize=4096)
def _glyph_image(ch: str, face: FontFace, cell_w: int, cell_h: int, bold: bool) -> Image.Image:
    """Draw one character filling a printer cell (white on black mask: 255 = ink)."""
    px = cell_h
    font = ImageFont.truetype(str(face.path), px, index=face.index)
    stroke = max(1, px // 24) if bold else 0
    adv = max(1, int(font.getlength(ch)) + 2 * stroke)
    tmp = Image.new("L", (adv, px), 0)
    # Baseline at 88% of the em box: where CJK fonts put it, so the glyph fills the cell.
    ImageDraw.Draw(tmp).text((stroke, int(px * 0.88)), ch, font=font, fill=255, anchor="ls",
                             stroke_width=stroke, stroke_fill=255)
    # Stretch by the cell's width multiplier (GS ! width != height), then clip to the cell.
    natural_w = px if ord(ch) >= 0x80 else px // 2
    scaled_w = max(1, round(adv * cell_w / max(natural_w, 1)))
    glyph = tmp.resize((min(scaled_w, cell_w), cell_h)) if scaled_w > cell_w else tmp.resize(
        (scaled_w, cell_h))
    out = Image.new("L", (cell_w, cell_h), 0)
    out.paste(glyph, ((cell_w - glyph.width) // 2, 0))
    return out


class EscPosInterpreter:
    """Decode an ESC/POS stream into receipts; pure apart from drawing with a font."""

    def __init__(self, dots: int = 576, face: FontFace | None = None,
                 status: PrinterStatus = PrinterStatus.OK) -> None:
        self.paper_dots = dots
        self.face = face or find_cjk_face(None)
        self.status = status
        self.buffer = b""
        self.finished: list[tuple[Image.Image, str, bool]] = []
        self.unknown: list[str] = []
        self._reset_page()
        self._reset_modes()

    # -- state --------------------------------------------------------------------------
    def _reset_modes(self) -> None:
        self.align = 0
        self.bold = False
        self.invert = False
        self.wmul = 1
        self.hmul = 1
        self.chinese = False
        self.codepage = "cp437"
        self.line_spacing = DEFAULT_LINE_SPACING
        self.area = self.paper_dots
        self.left = 0
        self.qr_size = 3
        self.qr_ec = qrcode.constants.ERROR_CORRECT_L
        self.qr_data = b""

    def _reset_page(self) -> None:
        self.strips: list[Image.Image] = []
        self.transcript: list[str] = []
        self.line: list[_Glyph] = []
        self.line_align = 0
        self.page_area = 0

    @property
    def has_content(self) -> bool:
        """Tell whether anything was printed since the last cut."""
        return bool(self.strips or self.line)

    # -- feeding ------------------------------------------------------------------------
    def feed(self, data: bytes) -> bytes:
        """Consume bytes; return what the printer answers (DLE EOT replies)."""
        self.buffer += data
        replies = b""
        i = 0
        buf = self.buffer
        while i < len(buf):
            try:
                i, reply = self._step(buf, i)
            except _Incomplete:
                break
            replies += reply
        self.buffer = buf[i:]
        return replies

    def close(self) -> None:
        """Finish a job that ended without a cut, as a real printer would still print it."""
        self._flush_line(force=False)
        if self.has_content:
            self._cut(cut=False)

    def _need(self, buf: bytes, i: int, n: int) -> bytes:
        if i + n > len(buf):
            raise _Incomplete
        return buf[i : i + n]

    def _step(self, buf: bytes, i: int) -> tuple[int, bytes]:
        b = buf[i]
        if b == 0x0A:
            self._flush_line(force=True)
            return i + 1, b""
        if b in (0x0D, 0x00):
            return i + 1, b""
        if b == 0x09:
            for _ in range(4):
                self._add_char(" ")
            return i + 1, b""
        if b == DLE:
            return self._dle(buf, i)
        if b == ESC:
            return self._esc(buf, i)
        if b == FS:
            return self._fs(buf, i)
        if b == GS:
            return self._gs(buf, i)
        if b < 0x20:
            return i + 1, b""
        return self._text(buf, i)

    def _text(self, buf: bytes, i: int) -> tuple[int, bytes]:
        b = buf[i]
        if self.chinese and b >= 0x81:
            second = self._need(buf, i, 2)[1]
            n = 4 if 0x30 <= second <= 0x39 else 2
            raw = self._need(buf, i, n)
            self._add_char(raw.decode("gb18030", errors="replace"))
            return i + n, b""
        if b >= 0x80:
            self._add_char(bytes([b]).decode(self.codepage, errors="replace"))
        else:
            self._add_char(chr(b))
        return i + 1, b""

    def _dle(self, buf: bytes, i: int) -> tuple[int, bytes]:
        cmd = self._need(buf, i, 2)[1]
        if cmd == 0x04:  # DLE EOT n: real-time status
            n = self._need(buf, i, 3)[2]
            byte = status_bytes(self.status).get(n)
            return i + 3, b"" if byte is None else bytes([byte])
        if cmd == 0x05:
            return i + 3, b""
        if cmd == 0x14:
            return i + 5, b""
        return i + 2, b""

    def _esc(self, buf: bytes, i: int) -> tuple[int, bytes]:
        cmd = chr(self._need(buf, i, 2)[1])
        if cmd == "@":
            self._flush_line(force=False)
            self._reset_modes()
            return i + 2, b""
        if cmd == "c":
            self._need(buf, i, 4)
            return i + 4, b""
        if cmd in "aEG-MtdJ3!R{VU=r ":
            n = self._need(buf, i, 3)[2]
            if cmd == "a":
                self.align = n % 48 if n >= 48 else n
            elif cmd in "EG":
                self.bold = bool(n & 1)
            elif cmd == "t":
                self.codepage = CODEPAGES.get(n, "cp437")
            elif cmd == "d":
                self._flush_line(force=False)
                self._blank(n * self.line_spacing)
            elif cmd == "J":
                self._flush_line(force=False)
                self._blank(n)
            elif cmd == "3":
                self.line_spacing = n
            elif cmd == "!":
                self.bold = bool(n & 0x08)
                self.hmul = 2 if n & 0x10 else 1
                self.wmul = 2 if n & 0x20 else 1
            return i + 3, b""
        if cmd == "2":
            self.line_spacing = DEFAULT_LINE_SPACING
            return i + 2, b""
        if cmd in "im":  # legacy cut commands
            self._flush_line(force=False)
            self._cut(cut=True)
            return i + 2, b""
        if cmd == "p":
            return i + 5, b""
        if cmd == "*":
            head = self._need(buf, i, 5)
            n = head[3] + head[4] * 256
            size = n * (3 if head[2] in (32, 33) else 1)
            self._need(buf, i, 5 + size)
            self.transcript.append(f"[bit image ESC * {n} columns]")
            return i + 5 + size, b""
        self.unknown.append(f"ESC {cmd!r}")
        return i + 2, b""

    def _fs(self, buf: bytes, i: int) -> tuple[int, bytes]:
        cmd = chr(self._need(buf, i, 2)[1])
        if cmd == "&":
            self.chinese = True
            return i + 2, b""
        if cmd == ".":
            self.chinese = False
            return i + 2, b""
        if cmd in "!-CW":
            n = self._need(buf, i, 3)[2]
            if cmd == "!":
                self.wmul = 2 if n & 0x04 else self.wmul
                self.hmul = 2 if n & 0x08 else self.hmul
            elif cmd == "W":
                self.wmul = self.hmul = 2 if n & 1 else 1
            return i + 3, b""
        if cmd in "Sp":
            return i + 4, b""
        self.unknown.append(f"FS {cmd!r}")
        return i + 2, b""

    def _gs(self, buf: bytes, i: int) -> tuple[int, bytes]:
        cmd = chr(self._need(buf, i, 2)[1])
        if cmd in "!BbHhwfaIrT":
            n = self._need(buf, i, 3)[2]
            reply = b""
            if cmd == "!":
                self.wmul = (n >> 4 & 0x07) + 1
                self.hmul = (n & 0x07) + 1
            elif cmd == "B":
                self.invert = bool(n & 1)
            elif cmd == "r":
                reply = b"\x00"
            elif cmd == "I":
                reply = b"_VIRTUAL\x00" if n in (65, 66, 67) else b"\x00"
            return i + 3, reply
        if cmd in "LW":
            arg = self._need(buf, i, 4)
            value = arg[2] + arg[3] * 256
            if cmd == "L":
                self.left = value
            else:
                self.area = max(8, min(value, self.paper_dots))
            return i + 4, b""
        if cmd == "V":
            m = self._need(buf, i, 3)[2]
            size = 4 if m in (65, 66, 97, 98, 103, 104) else 3
            self._need(buf, i, size)
            self._flush_line(force=False)
            self._cut(cut=True)
            return i + size, b""
        if cmd == "v":
            head = self._need(buf, i, 8)
            m = head[3]
            wb = head[4] + head[5] * 256
            h = head[6] + head[7] * 256
            data = self._need(buf, i, 8 + wb * h)[8:]
            self._flush_line(force=False)
            self._raster(wb, h, data, m)
            return i + 8 + wb * h, b""
        if cmd == "(":
            head = self._need(buf, i, 5)
            size = head[3] + head[4] * 256
            body = self._need(buf, i, 5 + size)[5:]
            if head[2] == ord("k"):
                self._code2d(body)
            elif head[2] == ord("L"):
                self.transcript.append("[graphics GS ( L]")
            return i + 5 + size, b""
        if cmd == "k":
            m = self._need(buf, i, 3)[2]
            if m <= 6:
                end = buf.find(b"\x00", i + 3)
                if end < 0:
                    raise _Incomplete
                self.transcript.append(f"[barcode {buf[i + 3:end].decode('ascii', 'replace')}]")
                return end + 1, b""
            n = self._need(buf, i, 4)[3]
            self._need(buf, i, 4 + n)
            self.transcript.append(f"[barcode {buf[i + 4:i + 4 + n].decode('ascii', 'replace')}]")
            return i + 4 + n, b""
        self.unknown.append(f"GS {cmd!r}")
        return i + 2, b""

    # -- drawing ------------------------------------------------------------------------
    def _add_char(self, ch: str) -> None:
        if not self.line:
            self.line_align = self.align
        cell = (12 if ord(ch) < 0x80 else 24) * self.wmul
        width = sum(g.cell for g in self.line)
        if self.line and width + cell > self.area - self.left:
            # A real printer wraps an over-long line; so do we, so layout bugs show.
            self._flush_line(force=True)
            self.line_align = self.align
        self.line.append(_Glyph(ch, cell, self.wmul, self.hmul, self.bold, self.invert))

    def _blank(self, dots: int) -> None:
        if dots > 0:
            self.strips.append(Image.new("L", (self.paper_dots, dots), 255))

    def _x(self, width: int) -> int:
        free = self.area - self.left - width
        offset = {0: 0, 1: free // 2, 2: free}.get(self.line_align, 0)
        return self.left + max(0, offset)

    def _flush_line(self, *, force: bool) -> None:
        """Print the line buffer; LF on an empty buffer feeds one line."""
        if not self.line:
            if force:
                self._blank(self.line_spacing)
            return
        glyphs, self.line = self.line, []
        self.page_area = max(self.page_area, self.area)
        height = max(24 * g.h for g in glyphs)
        strip_h = max(height + 6, self.line_spacing if height <= 24 else height + 6)
        strip = Image.new("L", (self.paper_dots, strip_h), 255)
        width = sum(g.cell for g in glyphs)
        x = self._x(width)
        for g in glyphs:
            gh = 24 * g.h
            y = height - gh  # characters of different heights share the baseline
            if g.invert:
                strip.paste(0, (x, y, x + g.cell, y + gh))
            if not g.ch.isspace():
                mask = _glyph_image(g.ch, self.face, g.cell, gh, g.bold)
                strip.paste(255 if g.invert else 0, (x, y), mask)
            x += g.cell
        self.strips.append(strip)
        text = "".join(g.ch for g in glyphs).rstrip()
        self.transcript.append(text)

    def _raster(self, wb: int, h: int, data: bytes, m: int) -> None:
        self.page_area = max(self.page_area, self.area)
        img = Image.frombytes("1", (wb * 8, h), data)  # 1 bits = ink
        bitmap = Image.eval(img.convert("L"), lambda v: 255 - v)
        sx = 2 if m in (1, 49, 3, 51) else 1
        sy = 2 if m in (2, 50, 3, 51) else 1
        if (sx, sy) != (1, 1):
            bitmap = bitmap.resize((bitmap.width * sx, bitmap.height * sy))
        self._paste_block(bitmap, align=self.align)
        self.transcript.append(f"[raster {wb * 8}x{h} #{raster_fingerprint(wb, h, data)}]")

    def _paste_block(self, bitmap: Image.Image, align: int) -> None:
        strip = Image.new("L", (self.paper_dots, bitmap.height), 255)
        self.line_align = align
        x = self._x(bitmap.width)
        strip.paste(bitmap.crop((0, 0, min(bitmap.width, self.paper_dots - x), bitmap.height)),
                    (x, 0))
        self.strips.append(strip)

    def _code2d(self, body: bytes) -> None:
        if len(body) < 2 or body[0] != ord("1"):
            self.transcript.append("[2D code]")
            return
        fn, args = body[1], body[2:]
        if fn == 67 and args:
            self.qr_size = max(1, min(16, args[0]))
        elif fn == 69 and args:
            self.qr_ec = QR_EC.get(args[0], self.qr_ec)
        elif fn == 80:
            self.qr_data = args[1:]
        elif fn == 81:
            self._flush_line(force=False)
            self.page_area = max(self.page_area, self.area)
            text = self.qr_data.decode("utf-8", errors="replace")
            code = qrcode.QRCode(error_correction=self.qr_ec, box_size=self.qr_size, border=0)
            code.add_data(text)
            code.make(fit=True)
            img = code.make_image().get_image().convert("L")
            self._blank(4 * self.qr_size)
            self._paste_block(img, align=self.align)
            self._blank(4 * self.qr_size)
            self.transcript.append(f"[QR] {text}")

    def _cut(self, *, cut: bool) -> None:
        if not self.has_content:
            return
        width = min(self.paper_dots, max(self.page_area or self.area, 8))
        height = sum(s.height for s in self.strips) + 16
        page = Image.new("L", (width, height), 255)
        y = 8
        for s in self.strips:
            page.paste(s.crop((0, 0, width, s.height)), (0, y))
            y += s.height
        text = "\n".join(self.transcript) + "\n" + ("[cut]" if cut else "[no cut]") + "\n"
        self.finished.append((page, text, cut))
        self._reset_page()


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
