"""Decode an ESC/POS byte stream into printed receipts (the virtual printer's reading side)."""

from __future__ import annotations

from printer.fonts import FontFace
from printer.paper import DEFAULT_LINE_SPACING, Paper
from printer.status import PrinterStatus, status_bytes

ESC, FS, GS, DLE = 0x1B, 0x1C, 0x1D, 0x10
CODEPAGES = {0: "cp437", 2: "cp850", 3: "cp860", 16: "cp1252", 17: "cp866", 19: "cp858"}


class _Incomplete(Exception):
    """The buffer ends inside a command; wait for more bytes."""


class EscPosInterpreter(Paper):
    """Decode an ESC/POS stream into receipts; pure apart from drawing with a font."""

    def __init__(self, dots: int = 576, face: FontFace | None = None,
                 status: PrinterStatus = PrinterStatus.OK) -> None:
        super().__init__(dots, face)
        self.status = status
        self.buffer = b""
        self.unknown: list[str] = []

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
