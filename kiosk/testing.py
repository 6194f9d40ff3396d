"""A loopback control port for UI tests and benchmarks: real touches, screenshots, state."""

from __future__ import annotations

import itertools
import json
import re
import socket
import socketserver
import threading
import time
from typing import Any

from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.input.motionevent import MotionEvent
from kivy.metrics import Metrics
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView

from kiosk import flow, prompts
from kiosk.screens.widgets import ELDER_TEXT, MIN_TARGET, MIN_TEXT

# MIIT 适老化 (互联网应用适老化通用设计规范) for 长辈模式, in dp at the kiosk's density.
MIIT_MIN_TEXT_DP = 18
MIIT_LARGEST_TEXT_DP = 30
MIIT_MIN_TARGET_DP = 60

_ids = itertools.count(1)
_MARKUP_SIZE = re.compile(r"\[size=(\d+)\]")


class ControlTouch(MotionEvent):
    """A touch that enters Kivy's input pipeline like one from a touchscreen."""

    def __init__(self, x: float, y: float) -> None:
        super().__init__("kiosk-control", next(_ids),
                         {"x": x / Window.width, "y": y / Window.height},
                         is_touch=True, type_id="touch")

    def depack(self, args: dict[str, float]) -> None:
        """Take the normalised position."""
        self.sx, self.sy = args["x"], args["y"]
        self.profile = ["pos"]
        super().depack(args)

    def press(self) -> None:
        """Put the finger down."""
        EventLoop._dispatch_input("begin", self)  # the same queue real providers feed

    def release(self) -> None:
        """Lift the finger."""
        EventLoop._dispatch_input("end", self)


def _ancestors(widget: Any) -> list[Any]:
    out = []
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        out.append(parent)
        parent = parent.parent
    return out


class ControlServer:
    """Serve newline-delimited JSON commands on 127.0.0.1; each runs on the UI thread."""

    def __init__(self, app: Any, port: int) -> None:
        self.app = app
        self.port = port

    def start(self) -> None:
        """Listen in a daemon thread."""
        control = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for line in self.rfile:
                    request = json.loads(line)
                    reply = control.call(request)
                    self.wfile.write((json.dumps(reply, ensure_ascii=False) + "\n").encode())

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        server = Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True, name="kiosk-control").start()

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run a command on the UI thread and wait for its answer."""
        done = threading.Event()
        box: dict[str, Any] = {}

        def run(_dt: float) -> None:
            try:
                box["reply"] = getattr(self, "cmd_" + request["cmd"])(**request.get("args", {}))
            except Exception as exc:
                box["reply"] = {"error": repr(exc)}
            done.set()

        Clock.schedule_once(run, 0)
        if not done.wait(30):
            return {"error": "UI thread did not answer"}
        return dict(box["reply"])

    # -- commands ------------------------------------------------------------------------
    def _find(self, key: str) -> Any:
        screen = self.app.sm.current_screen
        for ids in (screen.ids, self.app.root_widget.ids):
            if key in ids:
                return ids[key]
        raise KeyError(f"no widget with id {key!r} on {screen.name}")

    def cmd_state(self) -> dict[str, Any]:
        """Report the screen, the flow state and counters."""
        s = self.app.state
        return {"screen": self.app.sm.current, "flow_screen": s.screen, "phase": s.phase,
                "language": s.language, "online": s.online, "ticket": s.ticket,
                "priority": s.priority, "key": s.idempotency_key, "redraws": self.app.redraws,
                "ready": self.app.ready_at is not None, "catalog": bool(self.app.catalog),
                "printer_reported": self.app.printer_watch.reported, "issue_error": s.error,
                "issue_requests": self.app.issue_requests, "hall_seq": self.app.hall_seq,
                "hall_settled": self.app.hall_settled(), "code": s.code, "elder": s.elder,
                "page": s.page, "help": None if s.help is None else {
                    "status": s.help.status, "id": s.help.id},
                "identity": s.identity, "phone": s.phone, "sms_phase": s.sms_phase,
                "sms_message": s.sms_message, "idle_seconds": self.app.idle_seconds(),
                "prompt": prompts.prompt(s)}

    def cmd_event(self, name: str, args: dict[str, Any] | None = None,
                  run_effects: bool = True) -> dict[str, Any]:
        """Post a flow event by its class name, as a server answer or a card would.

        With run_effects false the event's effects are not started: screens whose server
        endpoints are missing can still be shown with the answers a test supplies.
        """
        event = getattr(flow, name)(**(args or {}))
        self.app.send(event, run_effects=run_effects)
        return {"ok": True, "screen": self.app.state.screen}

    def cmd_speech(self) -> dict[str, Any]:
        """Return what the kiosk said (text, WAV path, length in seconds), oldest first."""
        return {"spoken": list(self.app.spoken)}

    def cmd_render_prompt(self) -> dict[str, Any]:
        """Render the current screen's prompt now, on this thread, and return its WAV."""
        text = prompts.prompt(self.app.state)
        path = self.app.speaker.renderer.render(text)
        return {"text": text, "path": None if path is None else str(path)}

    def cmd_tap(self, id: str, count: int = 1, gap: float = 0.0) -> dict[str, Any]:
        """Tap the centre of a widget found by id, count times (gap seconds apart)."""
        widget = self._find(id)
        x, y = widget.to_window(*widget.center)

        def tap(_dt: float = 0) -> None:
            touch = ControlTouch(x, y)
            touch.press()
            touch.release()

        for i in range(count):
            if i == 0 or gap <= 0:
                tap()
            else:
                Clock.schedule_once(tap, gap * i)
        return {"ok": True, "pos": [x, y], "at": time.time()}

    def cmd_text(self, id: str) -> dict[str, Any]:
        """Return a widget's text and whether it is shown."""
        widget = self._find(id)
        return {"text": getattr(widget, "text", ""), "opacity": widget.opacity,
                "height": widget.height, "font_size": getattr(widget, "font_size", 0)}

    def cmd_keys(self, text: str) -> dict[str, Any]:
        """Type text as a keyboard (or a barcode scanner) would; a newline is the Enter key."""
        for ch in text:
            if ch == "\n":
                Window.dispatch("on_key_down", 13, 36, None, [])
            else:
                Window.dispatch("on_textinput", ch)
        return {"ok": True}

    def cmd_ids(self) -> dict[str, Any]:
        """List the ids on the current screen."""
        return {"ids": sorted(str(k) for k in self.app.sm.current_screen.ids)}

    def cmd_shot(self, path: str) -> dict[str, Any]:
        """Save a screenshot of the whole window."""
        self.app.root_widget.export_to_png(path)
        return {"ok": True, "path": path}

    def cmd_set_idle(self, seconds: float) -> dict[str, Any]:
        """Change the idle timeout."""
        self.app.settings.idle_seconds = seconds
        self.app.last_touch = time.monotonic()
        return {"ok": True}

    def cmd_audit(self) -> dict[str, Any]:
        """Check text sizes, touch targets and clipping on the current screen.

        In 长辈模式 it also checks the MIIT figures in dp (text ≥ 18 dp, the largest ≥ 30 dp,
        targets ≥ 60×60 dp) and the kiosk's own 48 px floor, and reports the smallest figures.
        """
        problems: list[str] = []
        largest: dict[str, Any] = {"size": 0}
        elder = bool(self.app.state.elder)
        density = float(Metrics.density)
        min_text = ELDER_TEXT if elder else MIN_TEXT
        smallest_text, smallest_target = 1e9, 1e9
        names = {id(w): str(k) for k, w in self.app.sm.current_screen.ids.items()}
        names.update({id(w): str(k) for k, w in self.app.root_widget.ids.items()})
        screen = self.app.sm.current_screen
        header = [*self.app.root_widget.ids.header.walk(), *self.app.root_widget.ids.footer.walk()]
        sx, sy = screen.to_window(screen.x, screen.y)
        for w in header + list(screen.walk()):
            # Screen content must stay inside the screen: outside it, it hides under the header.
            bx, by, bw, bh = ((0, 0, Window.width, Window.height) if w in header
                              else (sx, sy, screen.width, screen.height))
            if w.opacity == 0 or not isinstance(w, Label) or not w.text.strip():
                continue
            wid = names.get(id(w)) or names.get(id(w.proxy_ref), "")
            label = (wid or type(w).__name__) + f"({w.text[:12]!r})"
            sizes = [float(w.font_size)] + [float(s) for s in _MARKUP_SIZE.findall(w.text)]
            smallest_text = min(smallest_text, *sizes)
            if min(sizes) < min_text:
                problems.append(f"{label}: text {min(sizes)} px < {min_text}")
            if elder and min(sizes) / density < MIIT_MIN_TEXT_DP:
                problems.append(f"{label}: text {min(sizes) / density:.1f} dp < {MIIT_MIN_TEXT_DP}")
            if max(sizes) > largest["size"]:
                largest = {"size": max(sizes), "id": wid, "text": w.text}
            w.texture_update()
            tw, th = w.texture_size
            if tw > w.width + 2 or th > w.height + 2:
                problems.append(f"{label}: text {tw}x{th} overflows {w.width}x{w.height}")
            if isinstance(w, Button) and (w.width < MIN_TARGET or w.height < MIN_TARGET):
                problems.append(f"{label}: target {w.width}x{w.height} < {MIN_TARGET}")
            if isinstance(w, Button):
                smallest_target = min(smallest_target, w.width / density, w.height / density)
                if elder and min(w.width, w.height) / density < MIIT_MIN_TARGET_DP:
                    problems.append(f"{label}: target {w.width / density:.0f}x{w.height / density:.0f}"
                                    f" dp < {MIIT_MIN_TARGET_DP}")
            if not any(isinstance(a, ScrollView) for a in _ancestors(w)):
                x0, y0 = w.to_window(w.x, w.y)
                if x0 < bx - 1 or y0 < by - 1 or x0 + w.width > bx + bw + 1 or (
                        y0 + w.height > by + bh + 1):
                    problems.append(f"{label}: outside the window at {x0},{y0}")
        if elder and largest["size"] / density < MIIT_LARGEST_TEXT_DP:
            problems.append(f"largest text {largest['size'] / density:.1f} dp < {MIIT_LARGEST_TEXT_DP}")
        return {"problems": problems, "largest": largest, "density": density, "elder": elder,
                "smallest_text_dp": smallest_text / density, "smallest_target_dp": smallest_target / density,
                "largest_text_dp": largest["size"] / density}


def wait_port(port: int, timeout: float = 30.0) -> None:
    """Wait until something listens on a loopback port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")
