"""The paper of the virtual printer: print modes, the page being drawn, and drawing on it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

from printer.fonts import FontFace, find_cjk_face

DEFAULT_LINE_SPACING = 30  # ESC 2: about 1/6 inch at 203 dpi
QR_EC = {48: qrcode.constants.ERROR_CORRECT_L, 49: qrcode.constants.ERROR_CORRECT_M,
         50: qrcode.constants.ERROR_CORRECT_Q, 51: qrcode.constants.ERROR_CORRECT_H}


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


class Paper:
    """Print modes and the page being drawn; the ESC/POS decoder sets the modes and feeds it."""

    def __init__(self, dots: int = 576, face: FontFace | None = None) -> None:
        self.paper_dots = dots
        self.face = face or find_cjk_face(None)
        self.finished: list[tuple[Image.Image, str, bool]] = []
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
