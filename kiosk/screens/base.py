"""The base of every kiosk screen."""

from __future__ import annotations

from typing import Any

from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    """A screen that redraws itself from the app's state and data."""

    total = 0  # how many tiles the screen has, over all its pages (长辈模式 shows 4 a page)

    def refresh(self, app: Any) -> None:
        """Redraw from app.state, app.catalog and app.guide_matters."""
        raise NotImplementedError

    def register(self, key: str, widget: Any) -> Any:
        """Make a dynamically built widget findable by id, like one declared in .kv."""
        self.ids[key] = widget
        return widget

    def forget(self, prefix: str) -> None:
        """Drop dynamic ids that start with prefix."""
        for key in [k for k in self.ids if str(k).startswith(prefix)]:
            del self.ids[key]
