"""Out of service: shown while the server cannot be reached; the app retries by itself."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import t
from kiosk.screens.base import KioskScreen
from kiosk.screens.widgets import load_kv


class OutOfServiceScreen(KioskScreen):
    """Tell residents the kiosk is paused and where to go instead."""

    def refresh(self, app: Any) -> None:
        """Redraw the texts in the current language."""
        lang = app.state.language
        self.ids.title.text = t(lang, "oos_title")
        self.ids.body.text = t(lang, "oos_body")
        self.ids.hint.text = t(lang, "oos_hint")


load_kv("out_of_service")
