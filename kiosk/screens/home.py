"""Home: the 8 categories as big tiles with live waiting counts."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import name, t
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import KButton, load_kv


class HomeScreen(KioskScreen):
    """The first screen a resident sees."""

    def refresh(self, app: Any) -> None:
        """Redraw titles and tiles; rebuild tiles only when the categories change."""
        lang = app.state.language
        self.ids.title.text = t(lang, "home_title")
        self.ids.guide.text = t(lang, "guide_button")
        self.ids.appointment.text = t(lang, "appt_button")
        categories = app.catalog.get("categories", [])
        codes = [c["code"] for c in categories]
        grid = self.ids.grid
        if [k.removeprefix("cat_") for k in self.ids if str(k).startswith("cat_")] != codes:
            grid.clear_widgets()
            self.forget("cat_")
            for cat in categories:
                tile = KButton(size_hint_y=1, font_size=40)
                tile.bind(on_release=lambda _w, c=cat["code"]: app.select_category(c))
                grid.add_widget(self.register(f"cat_{cat['code']}", tile))
        for cat in categories:
            tile = self.ids[f"cat_{cat['code']}"]
            count = t(lang, "waiting", n=cat.get("waiting", 0))
            if lang == "zh":
                # A long name gets a slightly smaller size rather than a lone character wrapped
                # onto a line of its own.
                label = name(cat, lang)
                size = 50 if len(label) <= 8 else 44 if len(label) <= 9 else 40
                tile.text = (f"[size=60]{cat['code']}[/size]\n[size={size}]{label}[/size]"
                             f"\n[size=42]{count}[/size]")
            else:
                # English names run to three lines; the letter moves next to the count.
                tile.text = (f"[size=42]{name(cat, lang)}[/size]\n"
                             f"[size=40]{cat['code']} · {count}[/size]")


load_kv("home")
