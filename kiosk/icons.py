"""Tabler pictograms for Kivy: the bundled webfont and the glyph for an icon name."""

from __future__ import annotations

from pathlib import Path

from kiosk.icon_codepoints import CODEPOINTS, VERSION

FONT_NAME = "TablerIcons"
FONT_FILE = Path(__file__).with_name("assets") / "tabler-icons.ttf"

__all__ = ["CODEPOINTS", "FONT_FILE", "FONT_NAME", "VERSION", "glyph", "markup"]


def glyph(name: str | None) -> str:
    """Return the character that draws a Tabler icon, or "" for a name the font lacks."""
    code = CODEPOINTS.get(name or "")
    return chr(code) if code is not None else ""


def markup(name: str | None, size: int) -> str:
    """Return Kivy markup that draws an icon at size px, or "" when there is none."""
    char = glyph(name)
    if not char:
        return ""
    return f"[font={FONT_NAME}][size={size}]{char}[/size][/font]"
