"""短信提醒: a big keypad for an 11-digit mobile number; the server texts before the call."""

from __future__ import annotations

from typing import Any

from kiosk.flow import PHONE_LENGTH
from kiosk.i18n import t
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import GREEN, RED, load_kv, nav_text


def grouped(phone: str) -> str:
    """Show a number as 138 0013 8000, blanks for the digits still to type."""
    padded = phone.ljust(PHONE_LENGTH, "_")
    return " ".join((padded[:3], padded[3:7], padded[7:]))


class SmsScreen(KioskScreen):
    """Type the number, 确定, and see it registered or refused."""

    def refresh(self, app: Any) -> None:
        """Redraw the number typed so far and the outcome."""
        state = app.state
        lang = state.language
        nav_text(self, lang)
        self.ids.title.text = t(lang, "sms_title")
        self.ids.hint.text = t(lang, "sms_hint")
        self.ids.phone.text = grouped(state.phone)
        self.ids.sms_delete.text = t(lang, "appt_delete")
        self.ids.sms_clear.text = t(lang, "appt_clear")
        done = state.sms_phase == "done"
        sending = state.sms_phase == "sending"
        message = self.ids.message
        if done:
            message.text, message.color = t(lang, "sms_done"), GREEN
        elif state.sms_message == "phone_invalid":
            message.text, message.color = t(lang, "phone_invalid"), RED
        elif state.sms_message == "network":
            message.text, message.color = t(lang, "sms_failed"), RED
        else:
            message.text, message.color = state.sms_message or "", RED
        self.ids.sms_ok.text = t(lang, "sms_sending") if sending else t(lang, "sms_ok")
        self.ids.sms_ok.disabled = done or sending or len(state.phone) < PHONE_LENGTH
        for key in [*(f"sms_{d}" for d in "0123456789"), "sms_delete", "sms_clear"]:
            self.ids[key].disabled = done or sending


load_kv("sms")
