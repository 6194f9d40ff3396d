"""Printer URLs: where a printer is (tcp, usb, serial, file, memory) and the profile for its receipts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from printer.errors import PrinterConfigError
from printer.profile import PrinterProfile

Scheme = Literal["tcp", "usb", "serial", "file", "memory"]
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


def parse_printer_url(url: str, defaults: PrinterProfile | None = None) -> PrinterTarget:
    """Parse tcp://, usb://, serial://, file:// or memory:// with ?width=&text=&qr= options."""
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
    raise PrinterConfigError(
        f"unsupported printer URL {url!r}; use tcp://, usb://, serial://, file:// or memory://"
    )


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
