"""Alerts for the live monitor, from plain rows (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any


def sla_breaches(waiting: Iterable[tuple[str, str, datetime]], now: datetime,
                 sla_seconds: float) -> list[dict[str, Any]]:
    """List waiting tickets (number, service, issued_at) beyond the threshold, longest first."""
    out = []
    for number, service, issued_at in waiting:
        waited = (now - issued_at).total_seconds()
        if waited > sla_seconds:
            out.append({"number": number, "service": service, "waited_seconds": round(waited)})
    return sorted(out, key=lambda a: (-a["waited_seconds"], a["number"]))


BAD_PRINTER = {"paper_out": "打印机缺纸", "cover_open": "打印机仓盖未关",
               "offline": "设备离线", "paper_low": "打印纸将尽"}
DEVICE_KINDS = {"kiosk": "取号机", "display": "显示屏", "pad": "评价器"}


def device_alerts(devices: Iterable[Mapping[str, Any]], now: datetime,
                  stale_after: timedelta) -> list[dict[str, Any]]:
    """Turn device rows (name, kind, window, status, last_seen) into fault alerts."""
    out = []
    for d in devices:
        kind = DEVICE_KINDS.get(d["kind"], d["kind"])
        where = f"{d['window']}号窗口" if d.get("window") else ""
        label = f"{kind}「{d['name']}」{where}"
        status, seen = d.get("status"), d.get("last_seen")
        if status in BAD_PRINTER and status != "ok":
            level = "warning" if status == "paper_low" else "error"
            out.append({"kind": "device", "level": level, "device": d["name"], "status": status,
                        "message": f"{label}：{BAD_PRINTER[status]}"})
        elif seen is not None and now - seen > stale_after:
            minutes = int((now - seen).total_seconds() // 60)
            out.append({"kind": "device", "level": "error", "device": d["name"],
                        "status": "stale", "message": f"{label}：{minutes} 分钟无心跳，可能离线"})
    return out


def idle_alerts(windows: Iterable[Mapping[str, Any]], now: datetime,
                min_idle: timedelta) -> list[dict[str, Any]]:
    """Flag open windows without a ticket for a while although residents they serve are waiting."""
    out = []
    for w in windows:
        if w["status"] != "open" or w.get("current") or not w.get("eligible_waiting"):
            continue
        since = w.get("idle_since")
        if since is not None and now - since < min_idle:
            continue
        minutes = int((now - since).total_seconds() // 60) if since else None
        idle = f"已空闲 {minutes} 分钟，" if minutes is not None else ""
        out.append({"kind": "idle", "level": "warning", "window": w["number"],
                    "message": f"{w['number']}号窗口{idle}"
                               f"仍有 {w['eligible_waiting']} 人在等候可办业务"})
    return out
