"""Services: a category's sub-items, each with its pictogram, waiting count and estimate."""

from __future__ import annotations

from typing import Any

from kiosk import flow
from kiosk.catalog import serves_now
from kiosk.i18n import eta_choice, name, t
from kiosk.icons import markup
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import ELDER_ICON_SIZE, ICON_SIZE, KButton, load_kv, nav_text, show_pager


class ServicesScreen(KioskScreen):
    """Choose a service inside the chosen category."""

    def refresh(self, app: Any) -> None:
        """Rebuild the service list for the state's category (a page of it in 长辈模式)."""
        state = app.state
        lang = state.language
        nav_text(self, lang)
        category = app.category(state.category) or {"name": "", "services": []}
        self.ids.title.text = t(lang, "services_title", category=name(category, lang))
        services = category.get("services", [])
        self.total = len(services)
        show_pager(self, lang, state, self.total)
        box = self.ids.list
        box.clear_widgets()
        self.forget("svc_")
        for service in flow.visible(state, services):
            not_open = serves_now(app.catalog, service.get("windows") or []) is False
            eta = eta_choice(lang, service.get("eta_minutes"), not_open)
            waiting = t(lang, "waiting", n=service.get("waiting", 0))
            icon = markup(service.get("icon"), ELDER_ICON_SIZE if state.elder else ICON_SIZE)
            size = 60 if state.elder else 56
            button = KButton(height=300 if state.elder else 260, font_size=48 if state.elder else 42,
                             text=f"{icon}  [size={size}]{name(service, lang)}[/size]\n{waiting} · {eta}")
            button.bind(on_release=lambda _w, c=service["code"]: app.select_service(c))
            box.add_widget(self.register(f"svc_{service['code']}", button))


load_kv("services")
