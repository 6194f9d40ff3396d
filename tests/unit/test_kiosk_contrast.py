"""WCAG contrast of every text/background pair the kiosk draws, and no colour outside the palette."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.palette import PALETTE, TEXT_PAIRS

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
LITERAL = re.compile(r"\(?\b(\d(?:\.\d+)?), *(\d(?:\.\d+)?), *(\d(?:\.\d+)?), *(1(?:\.0)?)\b\)?")
COLOUR_LINE = re.compile(r"^\s*(?:color|rgba|tone|background_color)\s*:\s*(.+)$", re.M)


def luminance(rgb: tuple[float, ...]) -> float:
    """Return WCAG 2 relative luminance of an sRGB colour with 0..1 channels."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Return the WCAG contrast ratio of two colours."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_formula() -> None:
    assert contrast((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert contrast((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)) == pytest.approx(1.0)


@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS)
def test_every_text_pair_reaches_4_5_to_1(fg: str, bg: str) -> None:
    ratio = contrast(PALETTE[fg], PALETTE[bg])
    assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}:1"


def test_a_pressed_button_keeps_its_contrast() -> None:
    # common.kv darkens a pressed button's tone to 60 %; white text only gains from that.
    for fg, bg in TEXT_PAIRS:
        if fg == "WHITE":
            pressed = tuple(c * 0.6 for c in PALETTE[bg][:3])
            assert contrast(PALETTE["WHITE"], pressed) >= 4.5, bg


def test_the_screens_use_only_palette_colours() -> None:
    known = {tuple(round(c, 3) for c in rgba) for rgba in PALETTE.values()}
    names = set(PALETTE)
    files = [*KIOSK.rglob("*.kv"), *(KIOSK / "screens").glob("*.py"), KIOSK / "app.py"]
    seen = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        for m in LITERAL.finditer(text):
            seen += 1
            rgba = tuple(round(float(c), 3) for c in m.groups())
            assert rgba in known, f"{path.name}: colour {m.group(0)} is not in the palette"
        if path.suffix == ".kv":
            for value in COLOUR_LINE.findall(text):
                value = value.strip()
                if value[0].isdigit() or "self." in value or "[" in value:
                    continue
                assert value in names, f"{path.name}: colour {value} is not in the palette"
                seen += 1
    assert seen > 20
