"""Services: a category's sub-items, each with its waiting count and estimate."""

from __future__ import annotations

from typing import Any

from kiosk.catalog import serves_now
from kiosk.i18n import eta_choice, name, t
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import KButton, load_kv


class ServicesScreen(KioskScreen):
    """Choose a service inside the chosen category."""

    def refresh(self, app: Any) -> None:
        """Rebuild the service list for the state's category."""
        lang = app.state.language
        self.ids.back.text = t(lang, "back")
        self.ids.home.text = t(lang, "home")
        category = app.category(app.state.category) or {"name": "", "services": []}
        self.ids.title.text = t(lang, "services_title", category=name(category, lang))
        box = self.ids.list
        box.clear_widgets()
        self.forget("svc_")
        for service in category.get("services", []):
            not_open = serves_now(app.catalog, service.get("windows") or []) is False
            eta = eta_choice(lang, service.get("eta_minutes"), not_open)
            waiting = t(lang, "waiting", n=service.get("waiting", 0))
            button = KButton(height=260, font_size=42,
                             text=f"[size=56]{name(service, lang)}[/size]\n{waiting} · {eta}")
            button.bind(on_release=lambda _w, c=service["code"]: app.select_service(c))
            box.add_widget(self.register(f"svc_{service['code']}", button))


load_kv("services")
