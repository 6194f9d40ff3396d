"""「我有预约」: a big keypad for the 6-digit code; a scanner that types like a keyboard works too."""

from __future__ import annotations

from typing import Any

from kiosk.appointment_flow import CODE_LENGTH
from kiosk.i18n import t
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import GREY, load_kv, nav_text


class AppointmentScreen(KioskScreen):
    """Type or scan the code; a refusal is explained, with the offer of an ordinary ticket."""

    def refresh(self, app: Any) -> None:
        """Redraw the code typed so far, the keypad and any refusal."""
        state = app.state
        lang = state.language
        self.ids.title.text = t(lang, "appt_title")
        self.ids.hint.text = t(lang, "appt_hint")
        typed = state.code
        self.ids.code.text = "  ".join(typed.ljust(CODE_LENGTH, "_"))
        issuing = state.phase == "issuing"
        self.ids.ok.text = t(lang, "appt_checking") if issuing else t(lang, "appt_ok")
        self.ids.ok.disabled = len(typed) < CODE_LENGTH and not issuing
        self.ids.key_delete.text = t(lang, "appt_delete")
        self.ids.key_clear.text = t(lang, "appt_clear")
        self.ids.error.text = state.error or ""
        self.ids.walk_in.text = t(lang, "appt_walk_in")
        self.ids.walk_in.opacity = 1 if state.error else 0
        self.ids.walk_in.disabled = not state.error
        # Hidden, it takes no room: 长辈模式's larger type needs all of it.
        self.ids.walk_in.height = 130 if state.error else 0
        nav_text(self, lang)
        self.ids.key_delete.tone = self.ids.key_clear.tone = GREY


load_kv("appointment")
