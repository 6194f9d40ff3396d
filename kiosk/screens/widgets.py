"""Shared kiosk widgets and the palette; their look is in common.kv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import ColorProperty
from kivy.uix.button import Button
from kivy.uix.label import Label

from kiosk.palette import (  # noqa: F401 - the screens and .kv files import colours from here
    BLUE,
    FOOTER,
    GREEN,
    GREY,
    INK,
    NAVY,
    ORANGE,
    PALETTE,
    PRINTING,
    RED,
    SELECTED,
    TEXT_PAIRS,
    UNSELECTED,
    WHITE,
)

MIN_TEXT = 36
MIN_TARGET = 120
# 长辈模式 (MIIT 适老化): type at least this many px; the checks in dp are in testing.py.
ELDER_TEXT = 48
ICON_SIZE = 72  # a pictogram beside a tile's name
ELDER_ICON_SIZE = 96


class KLabel(Label):
    """A dark, wrapping label on the light background."""


class KButton(Button):
    """A flat, high-contrast button that darkens while pressed."""

    tone = ColorProperty(BLUE)


def elderize(root: Any, on: bool) -> None:
    """Raise every label under root to at least ELDER_TEXT px in 长辈模式, and back again."""
    for w in root.walk():
        if not isinstance(w, Label):
            continue
        base = getattr(w, "_base_font_size", None)
        if base is None:
            base = float(w.font_size)
            w._base_font_size = base
        w.font_size = max(base, ELDER_TEXT) if on else base


def load_kv(name: str) -> None:
    """Load the .kv file that sits next to a screen module, once."""
    path = str(Path(__file__).with_name(f"{name}.kv"))
    if path not in Builder.files:
        Builder.load_file(path)


load_kv("common")


def show_pager(screen: Any, lang: str, state: Any, total: int) -> None:
    """Show 上一页/下一页 under the tiles when 长辈模式 splits them into pages, else hide them."""
    from kiosk import flow
    from kiosk.i18n import t

    pages = flow.page_count(state, total)
    pager = screen.ids.pager
    shown = pages > 1
    pager.height, pager.opacity, pager.disabled = (150 if shown else 0), (1 if shown else 0), not shown
    # A hidden pager's buttons must take no room at all: a disabled widget swallows the touches
    # that land on it, and the tiles above would go dead.
    for button in (screen.ids.prev_page, screen.ids.next_page):
        button.height, button.opacity = (150, 1) if shown else (0, 0)
    page = min(state.page, pages - 1) + 1
    screen.ids.prev_page.text = "‹ " + t(lang, "prev_page")
    screen.ids.next_page.text = t(lang, "next_page") + f" ({page}/{pages}) ›"
    screen.ids.prev_page.disabled = not shown or page <= 1
    screen.ids.next_page.disabled = not shown or page >= pages


def nav_text(screen: Any, lang: str) -> None:
    """Label a screen's 返回 and 首页 buttons, each with its pictogram."""
    from kiosk.i18n import t
    from kiosk.icons import markup

    screen.ids.back.text = markup("arrow-left", 56) + "  " + t(lang, "back")
    screen.ids.home.text = markup("home", 56) + "  " + t(lang, "home")
    screen.ids.back.tone = screen.ids.home.tone = GREY
