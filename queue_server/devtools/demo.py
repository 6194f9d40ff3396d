"""`hall demo`: the whole hall on one machine, on the embedded defaults."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from queue_server.core.settings import ServerSettings


def register(sub: Any) -> None:
    """Add the demo subcommand."""
    demo = sub.add_parser("demo", help="run the server, a virtual printer and the kiosk")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--printer-port", type=int, default=9100)
    demo.add_argument("--simulate", action="store_true", help="add simulated residents and clerks")
    demo.add_argument("--no-kiosk", action="store_true", help="do not open the kiosk window")
    demo.add_argument("--halls", type=int, default=1, metavar="N",
                      help="a small county: the default hall and N-1 more, each with its own board (and /county)")
    demo.add_argument("--data", default=None,
                      help="keep the demo's data in this directory (default: a temporary one, "
                           "removed on exit); never the server's var/")
    demo.set_defaults(func=run)


def demo_settings(base: ServerSettings, data: Path) -> ServerSettings:
    """Return settings for a demo whose database and files live in their own directory."""
    return base.model_copy(update={"var_dir": data, "database_url": f"sqlite:///{data / 'hall.db'}"})


def _stop_on_sigterm() -> None:
    def stop(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)


def _demo_state(var: Path) -> dict[str, Any]:
    path = var / "demo.json"
    if path.exists():
        data: dict[str, Any] = json.loads(path.read_text())
        return data
    var.mkdir(parents=True, exist_ok=True)
    data = {"admin_password": os.environ.get("HALL_ADMIN_PASSWORD") or secrets.token_urlsafe(9)}
    path.write_text(json.dumps(data))
    path.chmod(0o600)
    return data


def _devices(base: str, password: str, state: dict[str, Any], var: Path) -> dict[str, str]:
    http = httpx.Client(base_url=base, timeout=30)
    token = http.post("/api/auth/login", json={"username": "admin", "password": password})
    token.raise_for_status()
    headers = {"Authorization": "Bearer " + token.json()["token"]}
    tokens: dict[str, str] = dict(state.get("devices", {}))
    wanted: dict[str, dict[str, Any]] = {"kiosk": {"name": "取号机 1", "kind": "kiosk"},
              "display": {"name": "大厅显示屏", "kind": "display"},
              "pad1": {"name": "1 号窗口评价器", "kind": "pad", "window": 1}}
    known = {d["name"] for d in http.get("/api/admin/devices", headers=headers).json()}
    for key, body in wanted.items():
        if key not in tokens or body["name"] not in known:
            r = http.post("/api/admin/devices", headers=headers, json=body)
            r.raise_for_status()
            tokens[key] = r.json()["token"]
    state["devices"] = tokens
    (var / "demo.json").write_text(json.dumps(state))
    return tokens


# The seed names only Pu'an: the demo's other halls carry placeholder names, clearly marked as such.
PLACEHOLDER_HALL = "示例乡镇{n}（演示占位名称）"


def _more_halls(base: str, password: str, count: int) -> list[tuple[str, str, dict[str, str]]]:
    """Add the demo county's other halls (copied from the default one); return code, name and devices."""
    http = httpx.Client(base_url=base, timeout=30)
    token = http.post("/api/auth/login", json={"username": "admin", "password": password})
    token.raise_for_status()
    headers = {"Authorization": "Bearer " + token.json()["token"]}
    known = {h["code"] for h in http.get("/api/county/halls").json()}
    out = []
    for n in range(2, count + 1):
        code, name = f"demo-town-{n}", PLACEHOLDER_HALL.format(n=n)
        if code not in known:
            http.post("/api/county/halls", headers=headers, json={"code": code, "name": name}).raise_for_status()
        tokens = {}
        for key, body in (("kiosk", {"name": "取号机 1", "kind": "kiosk"}),
                          ("display", {"name": "大厅显示屏", "kind": "display"})):
            r = http.post(f"/h/{code}/api/admin/devices", headers=headers, json=body)
            r.raise_for_status()
            tokens[key] = r.json()["token"]
        out.append((code, name, tokens))
    http.close()
    return out


def _spawn_kiosk(base: str, token: str, printer_url: str) -> subprocess.Popen[bytes] | None:
    try:
        from kiosk.cli import spawn_kiosk
    except ImportError:  # Kivy is not installed on this machine
        return None
    proc: subprocess.Popen[bytes] | None = spawn_kiosk(base, token, printer_url)
    return proc


def _port_taken(host: str, port: int) -> bool:
    """Tell whether something already listens on the port (another demo, say)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def run(args: argparse.Namespace) -> int:
    """Run the demo until interrupted."""
    for name, port in (("服务器 server", args.port), ("虚拟打印机 printer", args.printer_port)):
        if _port_taken(args.host, port):
            print(f"端口 {port} 已被占用（{name}），可能另一个演示或服务器正在运行：请先停止它，"
                  f"或用 --port / --printer-port 换一个端口。\n"
                  f"Port {port} is already in use; stop what runs there or choose another port.",
                  file=sys.stderr)
            return 2
    keep = args.data is not None
    data = Path(args.data) if keep else Path(tempfile.mkdtemp(prefix="hall-demo-"))
    _stop_on_sigterm()
    try:
        return _run(args, data)
    finally:
        if not keep:  # a throw-away hall: its database, passwords and receipts go with it
            shutil.rmtree(data, ignore_errors=True)


def _simulate(base: str, headers: dict[str, str], clock: Any, stopping: threading.Event,
              others: list[str]) -> None:
    """Make four weeks of cases (village agents' too) first, moving the clock back; then run every hall."""
    from queue_server.core.clock import utcnow
    from queue_server.devtools import simulate
    from queue_server.devtools.cases import simulate_cases

    def set_time(at: Any) -> None:
        clock.source = utcnow if at is None else (lambda: at)

    report = simulate_cases(base, headers, days=28, per_day=10, set_time=set_time)
    print(f"模拟办件 {report.accepted} 件（其中村站代办、家能办 {report.village} 件），"
          f"超期办结 {report.late} 件 (simulated cases)", flush=True)
    for code in others:  # the county's other halls get their own residents and clerks
        threading.Thread(target=simulate.run_forever, args=(f"{base}/h/{code}", headers),
                         kwargs={"speed": 30.0, "stop": stopping.is_set, "seed": len(code)}, daemon=True).start()
    simulate.run_forever(base, headers, speed=30.0, stop=stopping.is_set)


def _run(args: argparse.Namespace, var: Path) -> int:
    import uvicorn

    from printer.virtual import VirtualPrinter
    from queue_server.app.factory import create_app
    from queue_server.core.clock import Clock

    settings = demo_settings(ServerSettings(), var)
    state = _demo_state(var)
    password = settings.admin_password or state["admin_password"]
    settings = settings.model_copy(update={"admin_password": password})
    if args.simulate:  # before the server starts: the history is written in bulk, never published
        from queue_server.devtools.history_store import demo_history

        print("正在准备过去 8 周的取号历史… (preparing eight weeks of ticket history)", flush=True)
        for line in demo_history(settings):
            print(line, flush=True)
    clock = Clock()  # the case simulation moves it to make weeks of history
    app = create_app(settings, clock=clock)
    server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning",
                                           ws_max_size=settings.ws_max_size))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        print("服务器未能启动 (the server did not start)", file=sys.stderr)
        return 1
    tokens = _devices(base, password, state, var)
    others = _more_halls(base, password, args.halls) if args.halls > 1 else []
    receipts = var / "receipts"
    printer = VirtualPrinter(port=args.printer_port, out_dir=receipts).start()
    print(f"""
乡镇便民服务中心排队叫号系统 · 演示 / demo
  大厅显示屏 board   {base}/display#token={tokens['display']}
  窗口屏 window 1    {base}/display/window/1
  窗口工作台 clerk    {base}/clerk
  管理统计 manage     {base}/manage
  手机取号 phone      (scan the QR on the board) · guide {base}/m/guide
  评价器 pad 1        {base}/pad/1#token={tokens['pad1']}
  API 文档 docs       {base}/docs
  虚拟打印机 printer  {printer.url}  →  receipts in {receipts}/
  管理员 admin        username admin · password {password}
  数据目录 data        {var}{'' if args.data else '  (退出时删除 / removed on exit)'}
  取号机令牌 kiosk    {tokens['kiosk']}
Ctrl-C 退出 / to stop
""", flush=True)
    if others:
        lines = [f"  {name} ({code})\n    显示屏 board {base}/h/{code}/display#token={t['display']}\n"
                 f"    管理 manage {base}/h/{code}/manage · 取号机令牌 kiosk {t['kiosk']}" for code, name, t in others]
        print("全县 county        " + base + "/county\n" + "\n".join(lines) + "\n", flush=True)
    children: list[subprocess.Popen[bytes]] = []
    if not args.no_kiosk:
        kiosk = _spawn_kiosk(base, tokens["kiosk"], printer.url)
        if kiosk is not None:
            children.append(kiosk)
            print("取号机窗口已打开 (kiosk window started)", flush=True)
        else:
            print("没有显示器，未打开取号机窗口 (no screen: kiosk window not started)", flush=True)
    stopping = threading.Event()
    if args.simulate:
        login = httpx.post(base + "/api/auth/login", json={"username": "admin", "password": password})
        headers = {"Authorization": "Bearer " + login.json()["token"]}
        threading.Thread(target=_simulate, args=(base, headers, clock, stopping, [c for c, _, _ in others]),
                         daemon=True).start()
        print("模拟居民与窗口已启动 (simulated residents and clerks running)", flush=True)
    try:
        while thread.is_alive():
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        for child in children:
            child.terminate()
        server.should_exit = True
        thread.join(timeout=10)
        printer.stop()
    return 0
