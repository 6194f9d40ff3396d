"""Start the kiosk window: Kivy configuration, the CJK font, then the App."""

from __future__ import annotations

import os
import sys
from typing import Any

from kiosk.settings import KioskSettings


class KioskFontError(RuntimeError):
    """No font with Chinese glyphs could be found."""


def find_fonts(settings: KioskSettings) -> tuple[str, str]:
    """Return (regular, bold) CJK font files: configured, else found through fontconfig."""
    from printer.errors import FontNotFound
    from printer.fonts import find_cjk_face

    try:
        regular = str(find_cjk_face(settings.font).path)
    except FontNotFound as exc:
        raise KioskFontError(
            f"找不到中文字体 / no Chinese font: {exc}. Install fonts-noto-cjk "
            "(apt-get install fonts-noto-cjk) or set KIOSK_FONT=/path/to/font.otf") from exc
    bold = regular
    if settings.font_bold:
        bold = settings.font_bold
    elif not settings.font:
        try:
            bold = str(find_cjk_face(None, bold=True).path)
        except FontNotFound:
            bold = regular
    return regular, bold


def configure_kivy(settings: KioskSettings) -> None:
    """Set Kivy's window options; must run before kivy.core.window is imported."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    from kivy.config import Config

    Config.set("graphics", "width", str(settings.width))
    Config.set("graphics", "height", str(settings.height))
    Config.set("graphics", "fullscreen", "auto" if settings.fullscreen else "0")
    Config.set("graphics", "resizable", "0")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("input", "mouse", "mouse,disable_multitouch")


def register_font(regular: str, bold: str) -> None:
    """Make the CJK font Kivy's default, so every label and button uses it."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    LabelBase.register(DEFAULT_FONT, fn_regular=regular, fn_bold=bold)
    LabelBase.register("CJK", fn_regular=regular, fn_bold=bold)


def build_app(settings: KioskSettings, printer_url: str | None = None) -> Any:
    """Configure Kivy and return the App, ready to run()."""
    fonts = find_fonts(settings)
    configure_kivy(settings)
    register_font(*fonts)
    from kiosk.app import KioskApp
    from printer.settings import PrinterSettings

    printer_settings = PrinterSettings(url=printer_url or settings.printer, check_status=True)
    app = KioskApp(settings, printer_settings)
    if settings.control_port:
        from kiosk.testing import ControlServer

        ControlServer(app, settings.control_port).start()
    return app


def run_kiosk(settings: KioskSettings) -> int:
    """Run the kiosk until its window closes; return an exit code."""
    try:
        app = build_app(settings)
    except KioskFontError as exc:
        print(exc, file=sys.stderr)
        return 2
    app.run()
    return 0
