"""Guide, 能办吗？: browse the matters by category and open one to see if it is handled here."""

from __future__ import annotations

from typing import Any

from kiosk import flow
from kiosk.i18n import modes_text, name, t
from kiosk.icons import markup
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import GREEN, ORANGE, KButton, KLabel, load_kv, nav_text, show_pager

HERE = GREEN
NOT_HERE = ORANGE


class GuideScreen(KioskScreen):
    """Three levels: categories, a category's matters, one matter."""

    def refresh(self, app: Any) -> None:
        """Rebuild the body for the state's guide category and matter."""
        state = app.state
        lang = state.language
        self.ids.title.text = t(lang, "guide_title")
        nav_text(self, lang)
        self.total = 0
        body = self.ids.body
        body.clear_widgets()
        self.forget("guide_")
        self.forget("matter_")
        self.ids.scroll.scroll_y = 1
        if state.guide_matter is not None:
            show_pager(self, lang, state, 0)
            self._matter(app, lang, state.guide_matter)
            return
        if state.guide_category is None:
            self.ids.subtitle.text = t(lang, "guide_pick")
            categories = app.catalog.get("categories", [])
            self.total = len(categories)
            show_pager(self, lang, state, self.total)
            for cat in flow.visible(state, categories):
                icon = markup(cat.get("icon"), 64)
                button = KButton(height=170 if state.elder else 150,
                                 text=f"{icon}  {cat['code']}  {name(cat, lang)}")
                button.bind(on_release=lambda _w, c=cat["code"]: app.guide_category(c))
                body.add_widget(self.register(f"guide_cat_{cat['code']}", button))
            return
        category = app.category(state.guide_category) or {}
        matters = [m for m in app.guide_matters if m.get("category") == state.guide_category]
        self.ids.subtitle.text = t(lang, "guide_matters", category=name(category, lang),
                                   n=len(matters))
        self.total = len(matters)
        show_pager(self, lang, state, self.total)
        for matter in flow.visible(state, matters):
            button = KButton(height=170, font_size=40, text=name(matter, lang),
                             tone=HERE if matter.get("handled_here") else NOT_HERE)
            button.bind(on_release=lambda _w, c=matter["code"]: app.guide_matter(c))
            body.add_widget(self.register(f"matter_{matter['code']}", button))

    def _matter(self, app: Any, lang: str, code: str) -> None:
        matter: dict[str, Any] = next(
            (m for m in app.guide_matters if m.get("code") == code), {})
        self.ids.subtitle.text = name(matter, lang)
        body = self.ids.body
        here = bool(matter.get("handled_here"))
        verdict = KLabel(text=t(lang, "handled_here" if here else "not_here"), font_size=56,
                         bold=True, halign="center",
                         color=GREEN if here else NOT_HERE)
        body.add_widget(self.register("guide_verdict", verdict))
        body.add_widget(KLabel(text=t(lang, "department", d=matter.get("department", "")),
                               font_size=44))
        body.add_widget(KLabel(text=t(lang, "mode", modes=modes_text(lang, [matter])),
                               font_size=44))
        body.add_widget(KLabel(text=t(lang, "materials"), font_size=44, bold=True))
        for item in matter.get("materials", []) or [t(lang, "no_materials")]:
            body.add_widget(KLabel(text=f"□ {item}", font_size=40))


load_kv("guide")
