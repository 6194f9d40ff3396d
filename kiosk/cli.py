"""`hall kiosk`: run the Kivy kiosk (also `python -m kiosk.cli`)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from typing import Any


def settings_from_args(args: argparse.Namespace) -> Any:
    """Build KioskSettings from KIOSK_ variables, overridden by the command line."""
    from kiosk.settings import KioskSettings

    overrides: dict[str, Any] = {}
    for key in ("server", "device_token", "printer", "width", "height", "idle_seconds",
                "font", "language", "id_reader"):
        value = getattr(args, key, None)
        if value is not None:
            overrides[key] = value
    if getattr(args, "fullscreen", False):
        overrides["fullscreen"] = True
    return KioskSettings(**overrides)


MISSING_EXTRA = ("hall kiosk 需要安装取号机组件 (the kiosk needs Kivy): "
                 "pip install 'hall-queue[kiosk]'")


def kivy_installed() -> bool:
    """Tell whether the [kiosk] extra (Kivy) is installed."""
    import importlib.util

    try:
        return importlib.util.find_spec("kivy") is not None
    except (ImportError, ValueError):
        return False


def cmd_kiosk(args: argparse.Namespace) -> int:
    """Run the kiosk window."""
    if not kivy_installed():
        print(MISSING_EXTRA, file=sys.stderr)
        return 2
    from kiosk.run import run_kiosk

    return run_kiosk(settings_from_args(args))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the kiosk's options to a parser."""
    parser.add_argument("--server", help="queue server base URL (KIOSK_SERVER)")
    parser.add_argument("--device-token", dest="device_token",
                        help="kiosk device token (KIOSK_DEVICE_TOKEN)")
    parser.add_argument("--printer", help="printer URL, e.g. tcp://127.0.0.1:9100 (KIOSK_PRINTER)")
    parser.add_argument("--width", type=int)
    parser.add_argument("--height", type=int)
    parser.add_argument("--fullscreen", action="store_true")
    parser.add_argument("--idle-seconds", dest="idle_seconds", type=float)
    parser.add_argument("--font", help="CJK font file (KIOSK_FONT)")
    parser.add_argument("--language", choices=["zh", "en"])
    parser.add_argument("--id-reader", dest="id_reader",
                        help="ID card reader, serial:///dev/ttyUSB0?baudrate=115200 or tcp://HOST:PORT "
                             "(KIOSK_ID_READER)")


def register(subparsers: Any) -> None:
    """Add the `kiosk` subcommand to the `hall` command line."""
    parser = subparsers.add_parser("kiosk", help="run the Kivy ticket kiosk")
    add_arguments(parser)
    parser.set_defaults(func=cmd_kiosk)


def screen_available() -> bool:
    """Tell whether a kiosk window can open here (an X or Wayland display exists)."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def spawn_kiosk(server: str, device_token: str, printer: str,
                extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes] | None:
    """Start the kiosk in its own process for `hall demo`; None when no screen exists."""
    if not screen_available():
        return None
    env = {**os.environ, "KIOSK_SERVER": server, "KIOSK_DEVICE_TOKEN": device_token,
           "KIOSK_PRINTER": printer, **(extra_env or {})}
    exe = sys.executable or shutil.which("python3") or "python3"
    return subprocess.Popen([exe, "-m", "kiosk.cli"], env=env)


def main(argv: list[str] | None = None) -> int:
    """Run `python -m kiosk.cli [options]`."""
    parser = argparse.ArgumentParser(prog="kiosk", description="乡镇便民服务中心取号机")
    add_arguments(parser)
    return cmd_kiosk(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
