"""The ID card screen: the holder's appointments to check in, cases to collect, or other services."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import t
from kiosk.icons import markup
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import GREEN, INK, ORANGE, RED, KButton, KLabel, load_kv, nav_text


class IdentityScreen(KioskScreen):
    """What a card on the reader found, each with one big button."""

    def refresh(self, app: Any) -> None:
        """Redraw for the identify phase and its result."""
        state = app.state
        lang = state.language
        nav_text(self, lang)
        body = self.ids.body
        body.clear_widgets()
        self.forget("checkin_")
        self.forget("pickup")
        self.forget("cases_ready")
        identity = state.identity or {}
        self.ids.other.text = markup("list-details", 64) + "  " + t(lang, "other_service")
        ready = state.phase in ("ready", "issuing")
        self.ids.other.disabled = not ready or state.phase == "issuing"
        self.ids.other.opacity = 1 if ready else 0
        status = self.ids.status
        if state.phase == "identifying":
            self.ids.title.text = markup("id", 96)
            status.text, status.color = t(lang, "identity_reading"), INK
            return
        if state.phase == "failed":
            self.ids.title.text = markup("id", 96)
            key = "card_invalid" if state.error == "card_invalid" else "card_failed"
            status.text, status.color = t(lang, key), RED
            return
        self.ids.title.text = t(lang, "identity_title", name=identity.get("name_masked", ""))
        status.text = state.error or ""
        status.color = RED
        booked = identity.get("appointments") or []
        services = {s["code"]: s for c in app.catalog.get("categories", []) for s in c.get("services", [])}
        if booked:
            body.add_widget(KLabel(text=t(lang, "identity_appts"), font_size=48, bold=True))
        for appt in booked:
            service = services.get(str(appt.get("service")), {})
            label = service.get("name_en") if lang == "en" and service.get("name_en") else service.get(
                "name", appt.get("service", ""))
            start, end = str(appt.get("start", ""))[11:16], str(appt.get("end", ""))[11:16]
            body.add_widget(KLabel(text=markup(service.get("icon"), 64) + "  " + t(
                lang, "identity_appt", service=label, start=start, end=end), font_size=48, markup=True))
            button = KButton(height=170, font_size=60, tone=GREEN,
                             text=markup("calendar-check", 72) + "  " + t(lang, "checkin_take"))
            button.bind(on_release=lambda _w, c=appt["code"]: app.check_in_booked(c))
            button.disabled = state.phase == "issuing"
            body.add_widget(self.register(f"checkin_{appt['code']}", button))
        cases = identity.get("cases_ready") or []
        if cases:
            windows = sorted({int(c.get("pickup_window") or 0) for c in cases} - {0})
            where = t(lang, "windows_sep").join(str(w) for w in windows)
            body.add_widget(self.register("cases_ready", KLabel(
                text=t(lang, "cases_ready", n=len(cases), w=where), font_size=52, bold=True, color=INK)))
            for case in cases:
                body.add_widget(KLabel(text=f"□ {case.get('matter_name', '')}", font_size=44))
            if app.settings.pickup_service:
                button = KButton(height=170, font_size=60, tone=ORANGE,
                                 text=markup("package", 72) + "  " + t(lang, "pickup_take"))
                button.bind(on_release=lambda _w: app.take_pickup())
                button.disabled = state.phase == "issuing"
                body.add_widget(self.register("pickup", button))
        if not booked and not cases:
            body.add_widget(KLabel(text=t(lang, "identity_none"), font_size=52, halign="center"))


load_kv("identity")
