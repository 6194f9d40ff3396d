"""The kiosk's colours and the text/background pairs it draws (no Kivy here)."""

from __future__ import annotations

WHITE = (1.0, 1.0, 1.0, 1)
INK = (0.05, 0.05, 0.08, 1)  # body text on white
BLUE = (0.03, 0.27, 0.55, 1)
NAVY = (0.03, 0.2, 0.5, 1)  # the issued number
PRINTING = (0.05, 0.2, 0.45, 1)
GREEN = (0.0, 0.42, 0.18, 1)
RED = (0.69, 0.0, 0.09, 1)
GREY = (0.25, 0.25, 0.28, 1)
ORANGE = (0.75, 0.33, 0.0, 1)
SELECTED = (0.0, 0.36, 0.75, 1)
UNSELECTED = (0.4, 0.42, 0.46, 1)
FOOTER = (0.92, 0.93, 0.95, 1)  # the bar behind 再听一遍 and 呼叫导办员

PALETTE: dict[str, tuple[float, float, float, float]] = {
    "WHITE": WHITE, "INK": INK, "BLUE": BLUE, "NAVY": NAVY, "PRINTING": PRINTING,
    "GREEN": GREEN, "RED": RED, "GREY": GREY, "ORANGE": ORANGE, "SELECTED": SELECTED,
    "UNSELECTED": UNSELECTED, "FOOTER": FOOTER,
}
# Every (text, background) pair the kiosk draws; tests/unit/test_kiosk_contrast.py checks each
# against WCAG's 4.5:1 and that no colour outside PALETTE appears in the screens.
TEXT_PAIRS: list[tuple[str, str]] = [
    ("INK", "WHITE"), ("BLUE", "WHITE"), ("NAVY", "WHITE"), ("RED", "WHITE"), ("GREEN", "WHITE"),
    ("ORANGE", "WHITE"), ("WHITE", "BLUE"), ("WHITE", "GREEN"), ("WHITE", "RED"),
    ("WHITE", "GREY"), ("WHITE", "ORANGE"), ("WHITE", "SELECTED"), ("WHITE", "UNSELECTED"),
    ("WHITE", "PRINTING"), ("INK", "FOOTER"),
]
