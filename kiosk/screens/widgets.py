"""Shared kiosk widgets; their look is in common.kv."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import ColorProperty
from kivy.uix.button import Button
from kivy.uix.label import Label

MIN_TEXT = 36
MIN_TARGET = 120

BLUE = (0.03, 0.27, 0.55, 1)
GREEN = (0.0, 0.42, 0.18, 1)
RED = (0.69, 0.0, 0.09, 1)
GREY = (0.25, 0.25, 0.28, 1)
ORANGE = (0.75, 0.33, 0.0, 1)


class KLabel(Label):
    """A dark, wrapping label on the light background."""


class KButton(Button):
    """A flat, high-contrast button that darkens while pressed."""

    tone = ColorProperty(BLUE)


def load_kv(name: str) -> None:
    """Load the .kv file that sits next to a screen module, once."""
    path = str(Path(__file__).with_name(f"{name}.kv"))
    if path not in Builder.files:
        Builder.load_file(path)


load_kv("common")
