"""Issued: the number, huge; how many are ahead; the estimate; the windows; printing."""

from __future__ import annotations

import io
from typing import Any

from kivy.core.image import Image as CoreImage

from kiosk.catalog import serves_now
from kiosk.i18n import eta_line, name, t, windows_text
from kiosk.icons import markup
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import GREEN, PRINTING, RED, load_kv

QR_SIZE = 440


class IssuedScreen(KioskScreen):
    """Show the issued ticket and how printing went."""

    _qr_for: str | None = None

    def refresh(self, app: Any) -> None:
        """Redraw from the state's ticket and print phase."""
        state = app.state
        lang = state.language
        ticket = state.ticket or {}
        _category, service = app.service(ticket.get("service"))
        self.ids.your_number.text = t(lang, "your_number")
        self.ids.number.text = str(ticket.get("number", ""))
        label = name(service, lang) if service else str(ticket.get("service_name", ""))
        if ticket.get("priority"):
            label += "  ·  " + t(lang, "priority_tag", p=t(lang, f"prio_{ticket['priority']}"))
        if ticket.get("appointment"):
            label += "  ·  " + t(lang, "appt_mark", start=str(ticket["appointment"].get("start", ""))[11:16])
        self.ids.service_name.text = label
        ahead = int(ticket.get("ahead") or 0)
        self.ids.ahead.text = t(lang, "ahead", n=ahead) if ahead else t(lang, "ahead_none")
        not_open = serves_now(app.catalog, ticket.get("windows") or []) is False
        self.ids.eta.text = eta_line(lang, ticket.get("eta_minutes"), not_open)
        windows = ticket.get("preferred_windows") or ticket.get("windows") or []
        self.ids.windows.text = t(lang, "windows", w=windows_text(lang, windows))
        status = self.ids.print_status
        qr = self.ids.qr
        if state.phase == "print_failed":
            status.text = t(lang, "print_failed")
            status.tone = RED
            self._show_qr(str(ticket.get("track_url", "")), app)
            qr.height, qr.opacity = QR_SIZE, 1
        else:
            status.text = t(lang, "printed" if state.phase == "printed" else "printing")
            status.tone = GREEN if state.phase == "printed" else PRINTING
            qr.height, qr.opacity = 0, 0
        self.ids.done.text = markup("home", 56) + "  " + t(lang, "done")
        self.ids.sms.text = markup("device-mobile-message", 60) + "  " + t(lang, "sms_button")
        # 短信提醒 once the slip is out (or failed): never while the printer still works.
        self.ids.sms.disabled = state.phase == "printing"

    def _show_qr(self, url: str, app: Any) -> None:
        if self._qr_for == url:
            return
        png = app.qr_png(url)
        self.ids.qr.texture = CoreImage(io.BytesIO(png), ext="png").texture
        self._qr_for = url


load_kv("issued")
