"""Confirm: the materials checklist, the handling mode, a priority choice and 取号."""

from __future__ import annotations

from typing import Any

from kiosk.flow import PRIORITIES
from kiosk.i18n import modes_text, name, t
from kiosk.icons import markup
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import SELECTED, UNSELECTED, WHITE, KLabel, load_kv, nav_text


class ConfirmScreen(KioskScreen):
    """Check the materials, choose a priority if any, and take the ticket."""

    def refresh(self, app: Any) -> None:
        """Redraw for the state's service, priority and issuing phase."""
        state = app.state
        lang = state.language
        _category, service = app.service(state.service)
        matters = service.get("matters", []) if service else []
        self.ids.title.text = name(service or {}, lang)
        materials = app.materials(service or {})
        self.ids.materials_title.text = (t(lang, "materials_n", n=len(materials))
                                         if len(materials) > 4 else t(lang, "materials"))
        box = self.ids.materials
        box.clear_widgets()
        for item in materials or [t(lang, "no_materials")]:
            box.add_widget(KLabel(text=f"□ {item}", font_size=40))
        self.ids.mode.text = t(lang, "mode", modes=modes_text(lang, matters))
        self.ids.priority_title.text = t(lang, "priority_title")
        for p in PRIORITIES:
            button = self.ids[f"prio_{p}"]
            chosen = state.priority == p
            button.text = ("● " if chosen else "") + t(lang, f"prio_{p}")
            button.tone = SELECTED if chosen else UNSELECTED
            button.color = WHITE
        issuing = state.phase == "issuing"
        self.ids.take.text = t(lang, "taking") if issuing else (
            markup("ticket", 110) + "  " + t(lang, "take"))
        self.ids.take.font_size = 72 if issuing else 110
        # 长辈模式's larger materials list needs the room more than the button needs 280 px.
        self.ids.take.height = 200 if state.elder else 280
        self.ids.error.text = t(lang, "take_failed") if state.error else ""
        nav_text(self, lang)


load_kv("confirm")
