"""What the layout needs to know about a printer: paper width and how it draws Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from printer.errors import PrinterConfigError

TextMode = Literal["gb18030", "raster"]
QrMode = Literal["native", "image"]

DOTS_BY_WIDTH_MM = {58: 384, 80: 576}


@dataclass(frozen=True)
class PrinterProfile:
    """Paper width in mm, Chinese text mode, QR mode, and the CJK font for raster text."""

    width_mm: int = 80
    text: TextMode = "gb18030"
    qr: QrMode = "native"
    # Only raster mode reads the font; None means "find one with fontconfig".
    font_path: Path | None = None

    def __post_init__(self) -> None:
        if self.width_mm not in DOTS_BY_WIDTH_MM:
            raise PrinterConfigError(f"paper width must be 58 or 80 mm, not {self.width_mm}")
        if self.text not in ("gb18030", "raster"):
            raise PrinterConfigError(f"text mode must be gb18030 or raster, not {self.text!r}")
        if self.qr not in ("native", "image"):
            raise PrinterConfigError(f"qr mode must be native or image, not {self.qr!r}")

    @property
    def dots(self) -> int:
        """Return the printable width in dots (8 dots/mm heads)."""
        return DOTS_BY_WIDTH_MM[self.width_mm]
