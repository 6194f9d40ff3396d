"""Home: the category tiles, each with its pictogram, 我有预约, 长辈模式 and the guide."""

from __future__ import annotations

from typing import Any

from kiosk import flow
from kiosk.i18n import name, t
from kiosk.icons import markup
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import ELDER_ICON_SIZE, ICON_SIZE, KButton, load_kv, show_pager


class HomeScreen(KioskScreen):
    """The first screen a resident sees."""

    def refresh(self, app: Any) -> None:
        """Redraw titles and tiles; rebuild tiles only when the shown categories change."""
        state = app.state
        lang = state.language
        masked = (state.identity or {}).get("name_masked")
        self.ids.title.text = t(lang, "card_home", name=masked) if masked else t(lang, "home_title")
        self.ids.guide.text = markup("zoom-question", 64) + "  " + t(lang, "guide_button")
        self.ids.appointment.text = markup("calendar-check", 64) + "  " + t(lang, "appt_button")
        self.ids.elder.text = markup("eyeglass", 64) + "  " + t(
            lang, "elder_off" if state.elder else "elder_on")
        categories = app.catalog.get("categories", [])
        shown = flow.visible(state, categories)
        self.total = len(categories)
        show_pager(self, lang, state, self.total)
        codes = [c["code"] for c in shown]
        grid = self.ids.grid
        if [k.removeprefix("cat_") for k in self.ids if str(k).startswith("cat_")] != codes:
            grid.clear_widgets()
            self.forget("cat_")
            for cat in shown:
                tile = KButton(size_hint_y=1, font_size=40)
                tile.bind(on_release=lambda _w, c=cat["code"]: app.select_category(c))
                grid.add_widget(self.register(f"cat_{cat['code']}", tile))
        for cat in shown:
            self.ids[f"cat_{cat['code']}"].text = tile_text(cat, lang, state.elder)


def tile_text(cat: dict[str, Any], lang: str, elder: bool) -> str:
    """Return a category tile's markup: pictogram, letter, name, waiting count."""
    count = t(lang, "waiting", n=cat.get("waiting", 0))
    label = name(cat, lang)
    if elder:
        icon = markup(cat.get("icon"), ELDER_ICON_SIZE)
        size = 60 if len(label) <= 6 else 52
        return f"{icon}\n[size={size}]{cat['code']} {label}[/size]\n[size=48]{count}[/size]"
    icon = markup(cat.get("icon"), ICON_SIZE)
    if lang == "zh":
        # A long name gets a slightly smaller size rather than a lone character wrapped
        # onto a line of its own.
        size = 50 if len(label) <= 8 else 44 if len(label) <= 9 else 40
        return (f"{icon}  [size=60]{cat['code']}[/size]\n[size={size}]{label}[/size]"
                f"\n[size=42]{count}[/size]")
    # English names run to three lines; the letter moves next to the count.
    icon = markup(cat.get("icon"), 60)
    return f"[size=42]{label}[/size]\n{icon} [size=40]{cat['code']} · {count}[/size]"


load_kv("home")
