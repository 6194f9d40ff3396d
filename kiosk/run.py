"""Start the kiosk window: Kivy configuration, the CJK font, then the App."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from kiosk.settings import KioskSettings
from printer.fonts import FontFace


class KioskFontError(RuntimeError):
    """No font with Chinese glyphs could be found."""


def single_face(face: FontFace, cache: Path) -> str:
    """Return a file holding just this face of the font.

    Kivy always opens the first face of a collection, which for Noto Sans CJK is the Japanese
    one: Chinese text would be drawn with Japanese glyph forms. Taking the simplified Chinese
    face out (fontTools copies its tables; well under a second) and keeping it fixes that.
    """
    if face.index == 0:
        return str(face.path)
    out = cache / f"{face.path.stem}-{face.index}.otf"
    if not out.exists():
        from fontTools.ttLib import TTCollection

        cache.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(f".{os.getpid()}.part")
        TTCollection(str(face.path), lazy=True)[face.index].save(str(partial))
        partial.replace(out)  # atomic: two kiosks starting at once never read half a file
    return str(out)


def find_fonts(settings: KioskSettings) -> tuple[str, str]:
    """Return (regular, bold) CJK font files: configured, else found through fontconfig."""
    from printer.errors import FontNotFound
    from printer.fonts import find_cjk_face

    try:
        regular = single_face(find_cjk_face(settings.font), settings.font_cache)
    except FontNotFound as exc:
        raise KioskFontError(
            f"找不到中文字体 / no Chinese font: {exc}. Install fonts-noto-cjk "
            "(apt-get install fonts-noto-cjk) or set KIOSK_FONT=/path/to/font.otf") from exc
    bold = regular
    if settings.font_bold:
        bold = settings.font_bold
    elif not settings.font:
        try:
            bold = single_face(find_cjk_face(None, bold=True), settings.font_cache)
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

    from kiosk.icons import FONT_FILE, FONT_NAME

    LabelBase.register(DEFAULT_FONT, fn_regular=regular, fn_bold=bold)
    LabelBase.register("CJK", fn_regular=regular, fn_bold=bold)
    # The pictograms are glyphs of the bundled Tabler webfont, drawn with [font=TablerIcons].
    LabelBase.register(FONT_NAME, fn_regular=str(FONT_FILE))


def build_app(settings: KioskSettings, printer_url: str | None = None) -> Any:
    """Configure Kivy and return the App, ready to run()."""
    from kiosk.speech import parse_quiet_hours

    parse_quiet_hours(settings.quiet_hours)  # a bad setting stops here, with its reason
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
    from kiosk.speech import SpeechConfigError

    try:
        app = build_app(settings)
    except (KioskFontError, SpeechConfigError) as exc:
        print(exc, file=sys.stderr)
        return 2
    app.run()
    return 0
