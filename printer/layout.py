"""Turn a receipt into ESC/POS bytes for one printer profile (pure: no device, no clock)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from functools import lru_cache

import qrcode
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont

from printer.blocks import Align, Block, Gap, Line, Qr, Rule, Size, format_windows, receipt_blocks
from printer.fonts import FontFace, find_cjk_face
from printer.profile import PrinterProfile
from printer.receipt import Receipt
from printer.wrapping import gb_measure, huge_multiplier, truncate, wrap

ESC_INIT = b"\x1b@"
FS_CHINESE_ON = b"\x1c&"
FS_CHINESE_OFF = b"\x1c."

# gb18030 mode: (width, height) multipliers of the printer's 12x24 font; "huge" is fitted.
_GB_SIZES: dict[str, tuple[int, int]] = {"normal": (1, 1), "medium": (1, 2), "large": (2, 2)}
# raster mode: font size in pixels (= dots) per paper width.
_RASTER_PX: dict[int, dict[str, int]] = {
    58: {"normal": 26, "medium": 32, "large": 42},
    80: {"normal": 32, "medium": 40, "large": 54},
}
# What callers import from here: the blocks and text fitting live in blocks.py and wrapping.py.
__all__ = ["Block", "Gap", "Line", "Qr", "Rule", "format_windows", "gb_measure", "printed_block_lines",
           "printed_lines", "raster_text_lines", "receipt_blocks", "render_blocks", "render_receipt",
           "resolve_faces", "wrap"]


def _layout_lines(block: Line, measure: Callable[[str], float], width: float) -> list[str]:
    if block.truncate:
        return [truncate(block.text, measure, width)]
    if not block.hang:
        return wrap(block.text, measure, width)
    first, *rest = wrap(block.text, measure, width - measure(block.hang)) or [""]
    return [first] + [block.hang + line for line in rest]


def qr_module_dots(data: str, dots: int) -> int:
    """Return the module size that makes the QR about half the paper width, at most 8."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    modules = code.modules_count + 8  # plus the quiet zone
    return max(3, min(8, int(dots * 0.6) // modules))


def qr_image(data: str, dots: int) -> Image.Image:
    """Draw the QR code centred on a paper-wide white strip."""
    box = qr_module_dots(data, dots)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=4)
    code.add_data(data)
    code.make(fit=True)
    img = code.make_image().get_image().convert("L")
    strip = Image.new("L", (dots, img.height), 255)
    strip.paste(img, ((dots - img.width) // 2, 0))
    return strip


def _start(profile: PrinterProfile) -> Dummy:
    d = Dummy()
    # Give this Dummy its own profile data with the paper width, so image() checks widths
    # against the real paper (and stays quiet) without touching python-escpos' shared profile.
    data = copy.deepcopy(d.profile.profile_data)
    data["media"] = {"dpi": 203, "width": {"mm": profile.width_mm, "pixels": profile.dots}}
    d.profile.profile_data = data
    d._raw(ESC_INIT)
    # GS L / GS W: confine printing to this paper even on a wider mechanism.
    d._raw(b"\x1dL\x00\x00" + b"\x1dW" + profile.dots.to_bytes(2, "little"))
    return d


def _finish(d: Dummy) -> bytes:
    d.cut()
    return d.output


def _qr(d: Dummy, data: str, profile: PrinterProfile) -> None:
    if profile.qr == "native":
        d.set(align="center")
        d.qr(data, ec=QR_ECLEVEL_M, size=qr_module_dots(data, profile.dots), native=True)
        d._raw(b"\n")
    else:
        d.set(align="left")
        d.image(qr_image(data, profile.dots), impl="bitImageRaster")


def render_gb18030(blocks: Sequence[Block], profile: PrinterProfile) -> bytes:
    """Render with the printer's own Hanzi font: FS & then GB18030 text."""
    d = _start(profile)
    for block in blocks:
        if isinstance(block, Line):
            if block.size == "huge":
                w = h = huge_multiplier(block.text, profile.dots)
            else:
                w, h = _GB_SIZES[block.size]
            d.set(align=block.align, bold=block.bold, invert=block.invert)
            d.set(custom_size=True, width=w, height=h)
            for text in _layout_lines(block, gb_measure, profile.dots / w):
                if text.isascii():
                    d.text(text + "\n")  # code-page text: what every ESC/POS printer has
                else:
                    d._raw(FS_CHINESE_ON + text.encode("gb18030") + FS_CHINESE_OFF + b"\n")
            d.set(bold=False, invert=False)
        elif isinstance(block, Rule):
            d.set(align="left", custom_size=True, width=1, height=1)
            d.text("-" * (profile.dots // 12) + "\n")
        elif isinstance(block, Qr):
            _qr(d, block.data, profile)
        else:
            d._raw(b"\x1bJ" + bytes([min(255, block.dots)]))
    d.set(align="left", custom_size=True, width=1, height=1)
    return _finish(d)


@lru_cache(maxsize=32)
def _font(path: str, index: int, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px, index=index)


def raster_px(size: Size, text: str, profile: PrinterProfile, bold_face: FontFace) -> int:
    """Return the font size in dots for a style; huge text is fitted to the paper."""
    if size != "huge":
        return _RASTER_PX[profile.width_mm][size]
    probe = _font(str(bold_face.path), bold_face.index, 100).getlength(text) or 1
    return max(40, min(int(profile.dots * 0.42), int((profile.dots - 40) * 100 / probe)))


def raster_line_image(
    text: str, px: int, profile: PrinterProfile, face: FontFace, *, align: Align = "center",
    invert: bool = False, bold: bool = False,
) -> Image.Image:
    """Draw one line of text on a paper-wide white strip."""
    font = _font(str(face.path), face.index, px)
    stroke = 1 if bold and px < 80 else 0
    # Fixed line metrics, so every line of one size has the same height and baseline.
    ascent, descent = font.getmetrics()
    height = ascent + descent + max(4, px // 6)
    img = Image.new("L", (profile.dots, height), 255)
    draw = ImageDraw.Draw(img)
    w = font.getlength(text) + 2 * stroke
    margin = 8
    lefts = {"left": margin, "center": (profile.dots - w) / 2, "right": profile.dots - margin - w}
    x = lefts[align]
    y = (height - ascent - descent) // 2
    fg = 0
    if invert:
        draw.rectangle((x - 8, 0, x + w + 8, height - 1), fill=0)
        fg = 255
    draw.text((x + stroke, y), text, font=font, fill=fg, stroke_width=stroke, stroke_fill=fg)
    return img


def raster_text_lines(
    block: Line, profile: PrinterProfile, face: FontFace, bold_face: FontFace
) -> list[tuple[str, Image.Image]]:
    """Lay one text block out as (line, bitmap) pairs for raster mode."""
    use = bold_face if block.size == "huge" else face
    px = raster_px(block.size, block.text, profile, bold_face)
    font = _font(str(use.path), use.index, px)
    extra = 2 + (16 if block.invert else 0)
    smallest = _RASTER_PX[profile.width_mm]["normal"]
    while block.fit and px > smallest and font.getlength(block.text) + extra > profile.dots - 16:
        px -= 1
        font = _font(str(use.path), use.index, px)
    lines = _layout_lines(block, lambda s: font.getlength(s) + extra, profile.dots - 16)
    return [
        (
            text,
            raster_line_image(
                text, px, profile, use, align=block.align, invert=block.invert, bold=block.bold
            ),
        )
        for text in lines
    ]


def render_raster(
    blocks: Sequence[Block], profile: PrinterProfile, face: FontFace, bold_face: FontFace
) -> bytes:
    """Render with Chinese drawn into bitmaps (GS v 0), for printers without a Hanzi font."""
    d = _start(profile)
    d.set(align="left")
    for block in blocks:
        if isinstance(block, Line):
            for _text, img in raster_text_lines(block, profile, face, bold_face):
                d.image(img, impl="bitImageRaster")
        elif isinstance(block, Rule):
            rule = Image.new("L", (profile.dots, 14), 255)
            ImageDraw.Draw(rule).line((8, 7, profile.dots - 8, 7), fill=0, width=2)
            d.image(rule, impl="bitImageRaster")
        elif isinstance(block, Qr):
            _qr(d, block.data, profile)
            d.set(align="left")
        else:
            d._raw(b"\x1bJ" + bytes([min(255, block.dots)]))
    return _finish(d)


def resolve_faces(profile: PrinterProfile) -> tuple[FontFace, FontFace]:
    """Return the regular and bold CJK faces raster mode draws with."""
    configured = str(profile.font_path) if profile.font_path else None
    regular = find_cjk_face(configured)
    if configured:
        return regular, regular
    try:
        return regular, find_cjk_face(None, bold=True)
    except Exception:  # a missing bold face only makes the number thinner
        return regular, regular


def render_blocks(blocks: Sequence[Block], profile: PrinterProfile) -> bytes:
    """Render any slip's blocks to ESC/POS bytes for the profile's paper and Chinese mode."""
    if profile.text == "gb18030":
        return render_gb18030(blocks, profile)
    face, bold_face = resolve_faces(profile)
    return render_raster(blocks, profile, face, bold_face)


def render_receipt(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """Render a receipt to ESC/POS bytes for the profile's paper and Chinese mode."""
    return render_blocks(receipt_blocks(receipt), profile)


def printed_lines(receipt: Receipt, profile: PrinterProfile) -> list[str]:
    """Return the text lines as they will be printed (wrapped, shortened) for this profile."""
    return printed_block_lines(receipt_blocks(receipt), profile)


def printed_block_lines(blocks: Sequence[Block], profile: PrinterProfile) -> list[str]:
    """Return the text lines of any slip's blocks as they will be printed for this profile."""
    out: list[str] = []
    faces = resolve_faces(profile) if profile.text == "raster" else None
    for block in blocks:
        if not isinstance(block, Line):
            continue
        if faces is None:
            mult = (
                huge_multiplier(block.text, profile.dots)
                if block.size == "huge"
                else _GB_SIZES[block.size][0]
            )
            out += _layout_lines(block, gb_measure, profile.dots / mult)
        else:
            out += [text for text, _ in raster_text_lines(block, profile, *faces)]
    return out
