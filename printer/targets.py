"""Printer URLs: where a printer is (tcp, usb, serial, file, memory, agent) and the profile for its receipts."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from printer.errors import PrinterConfigError
from printer.profile import PrinterProfile

Scheme = Literal["tcp", "usb", "serial", "file", "memory", "agent"]
# A print agent's printer names: what `agent://NAME` and `--printer NAME=URL` may say.
AGENT_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_PROFILE_KEYS = {"width": "width_mm", "text": "text", "qr": "qr", "font": "font_path"}


@dataclass(frozen=True)
class PrinterTarget:
    """A parsed printer URL: where the printer is and the profile to lay receipts out for."""

    scheme: Scheme
    profile: PrinterProfile
    host: str = ""
    port: int = 9100
    vendor_id: int = 0
    product_id: int = 0
    path: str = ""
    baudrate: int = 9600
    name: str = ""  # an agent's printer name (agent://NAME)


def parse_printer_url(url: str, defaults: PrinterProfile | None = None) -> PrinterTarget:
    """Parse tcp://, usb://, serial://, file://, memory:// or agent:// with ?width=&text=&qr= options."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    changes: dict[str, Any] = {}
    baudrate = 9600
    for key, value in query.items():
        if key == "baudrate" and scheme == "serial":
            baudrate = _int(value, "baudrate", url)
        elif key in _PROFILE_KEYS:
            changes[_PROFILE_KEYS[key]] = value
        else:
            raise PrinterConfigError(f"unknown option {key!r} in printer URL {url!r}")
    if "width_mm" in changes:
        changes["width_mm"] = _int(changes["width_mm"], "width", url)
    if "font_path" in changes:
        changes["font_path"] = Path(changes["font_path"]) if changes["font_path"] else None
    profile = replace(defaults or PrinterProfile(), **changes)

    if scheme == "tcp":
        if not parts.hostname:
            raise PrinterConfigError(f"tcp printer URL needs a host: {url!r}")
        try:
            port = parts.port or 9100
        except ValueError as exc:
            raise PrinterConfigError(f"bad port in printer URL {url!r}") from exc
        return PrinterTarget("tcp", profile, host=parts.hostname, port=port)
    if scheme == "usb":
        vid, _, pid = parts.netloc.partition(":")
        if not vid or not pid:
            raise PrinterConfigError(f"usb printer URL must be usb://VID:PID (hex): {url!r}")
        return PrinterTarget(
            "usb", profile, vendor_id=_hex(vid, url), product_id=_hex(pid, url)
        )
    if scheme in ("serial", "file"):
        path = unquote(parts.netloc + parts.path)
        if not path:
            raise PrinterConfigError(f"{scheme} printer URL needs a device path: {url!r}")
        return PrinterTarget(scheme, profile, path=path, baudrate=baudrate)  # type: ignore[arg-type]
    if scheme == "memory":
        return PrinterTarget("memory", profile)
    if scheme == "agent":
        if parts.path not in ("", "/"):
            raise PrinterConfigError(f"agent printer URL is agent://NAME, with no path: {url!r}")
        return PrinterTarget("agent", profile, name=agent_name(parts.netloc, url))
    raise PrinterConfigError(
        f"unsupported printer URL {url!r}; use tcp://, usb://, serial://, file://, memory:// or agent://"
    )


def agent_name(name: str, url: str = "") -> str:
    """Return a print agent's printer name in its one spelling (lower case), or refuse it."""
    spelled = unquote(name).strip().lower()
    if not AGENT_NAME.match(spelled):
        raise PrinterConfigError(
            f"print agent printer name must be 1-64 letters, digits, '-', '_' or '.': {url or name!r}")
    return spelled


def _int(value: str, name: str, url: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise PrinterConfigError(f"bad {name} {value!r} in printer URL {url!r}") from exc


def _hex(value: str, url: str) -> int:
    try:
        return int(value, 16)
    except ValueError as exc:
        raise PrinterConfigError(f"bad USB id {value!r} in printer URL {url!r}") from exc
