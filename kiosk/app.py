"""The Kivy App: wiring only. Flow decides, client talks, printing prints, screens draw."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition

from kiosk import flow, prompts
from kiosk.access import AccessMixin
from kiosk.checkin import CheckInMixin
from kiosk.client import ApiError, HallListener, KioskClient, Unreachable
from kiosk.i18n import t
from kiosk.printing import PrinterWatch, build_receipt, print_ticket, qr_png
from kiosk.screens.appointment import AppointmentScreen
from kiosk.screens.confirm import ConfirmScreen
from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.identity import IdentityScreen
from kiosk.screens.issued import IssuedScreen
from kiosk.screens.out_of_service import OutOfServiceScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.sms import SmsScreen
from kiosk.screens.widgets import WHITE, elderize
from kiosk.settings import KioskSettings
from printer.receipt import materials_for_service
from printer.settings import PrinterSettings

log = logging.getLogger(__name__)
SCREEN_CLASSES = (HomeScreen, ServicesScreen, ConfirmScreen, IssuedScreen, GuideScreen,
                  OutOfServiceScreen, AppointmentScreen, IdentityScreen, SmsScreen)


class KioskApp(AccessMixin, CheckInMixin, App):
    """The ticket kiosk."""

    title = "取号机"

    def __init__(self, settings: KioskSettings, printer_settings: PrinterSettings,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.printer_settings = printer_settings
        self.state = flow.initial(settings.language)
        self.catalog: dict[str, Any] = {}
        self.guide_matters: list[dict[str, Any]] = []
        self.client = KioskClient(settings.server, settings.device_token,
                                  timeout=settings.request_timeout,
                                  issue_attempts=settings.issue_attempts)
        self.printer_watch = PrinterWatch(self.client, printer_settings)
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kiosk-io")
        self.redraws = 0
        self.issue_requests = 0  # counters the test hook reports
        self.hall_seq = -1
        self.ready_at: float | None = None
        self.last_touch = time.monotonic()
        self.events_log: list[str] = []
        self._pending_messages: list[dict[str, Any]] = []
        self._messages_lock = threading.Lock()
        self._refreshing = False
        self._refresh_again = False
        self._listener: HallListener | None = None
        self._stopping = threading.Event()
        self._hall_trigger = Clock.create_trigger(self._apply_hall_messages, 0.15)

    # -- building ------------------------------------------------------------------------
    def build(self) -> Any:
        """Build the screens and start the background work."""
        Builder.load_file(str(Path(__file__).with_name("app.kv")))
        root = Builder.load_string("KioskRoot:\n")
        sm = root.ids.sm
        sm.transition = NoTransition()
        for cls in SCREEN_CLASSES:
            sm.add_widget(cls())
        self.root_widget = root
        Window.clearcolor = WHITE
        Window.bind(on_touch_down=self._touched)
        self.bind_scanner()
        Clock.schedule_interval(self._check_idle, 1.0)
        self.start_access()
        self.pool.submit(self._supervise)
        self.pool.submit(self.printer_watch.report_at_start)
        return root

    def on_stop(self) -> None:
        """Stop the background threads."""
        self._stopping.set()
        self.stop_access()
        if self._listener is not None:
            self._listener.stop()
        self.pool.shutdown(wait=False, cancel_futures=True)

    @property
    def sm(self) -> Any:
        """Return the screen manager."""
        return self.root_widget.ids.sm

    # -- data lookups for screens --------------------------------------------------------
    def category(self, code: str | None) -> dict[str, Any] | None:
        """Return a catalogue category by code."""
        return next((c for c in self.catalog.get("categories", []) if c["code"] == code), None)

    def service(self, code: str | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """Return (category, service) for a service code."""
        for cat in self.catalog.get("categories", []):
            for service in cat.get("services", []):
                if service["code"] == code:
                    return cat, service
        return None, None

    def materials(self, service: dict[str, Any]) -> list[str]:
        """Return a service's materials, first mention first."""
        return materials_for_service(service)

    def qr_png(self, text: str) -> bytes:
        """Render a QR code for the screen."""
        return qr_png(text)

    # -- user intents (called from .kv) --------------------------------------------------
    def select_category(self, code: str) -> None:
        """Open a category."""
        self.send(flow.SelectCategory(code))

    def select_service(self, code: str) -> None:
        """Open a service's confirm screen with a fresh Idempotency-Key."""
        self.send(flow.SelectService(code, uuid.uuid4().hex))

    def choose_priority(self, priority: str) -> None:
        """Toggle a priority class."""
        self.send(flow.ChoosePriority(priority))

    def take_ticket(self) -> None:
        """Take the ticket."""
        self.send(flow.TakeTicket())

    def go_back(self) -> None:
        """Go back one screen."""
        self.send(flow.Back())

    def go_home(self) -> None:
        """Go to the home screen."""
        self.send(flow.Home())

    def open_guide(self) -> None:
        """Open the guide."""
        self.send(flow.OpenGuide())

    def guide_category(self, code: str) -> None:
        """Show a guide category."""
        self.send(flow.GuideCategory(code))

    def guide_matter(self, code: str) -> None:
        """Show one matter."""
        self.send(flow.GuideMatter(code))

    def toggle_language(self) -> None:
        """Switch between 中文 and English."""
        self.send(flow.ToggleLanguage())

    # -- the loop: event -> state -> render + effects -------------------------------------
    def send(self, event: flow.Event, run_effects: bool = True) -> None:
        """Apply an event on the UI thread, redraw, speak, and start its effects off the UI thread."""
        self.events_log.append(type(event).__name__)
        old = self.state
        self.state, effects = flow.step(self.state, event)
        # Effects start before the redraw: a card's lookup or a ticket's request then travels while
        # the screen is drawn, instead of after it (their answers come back on this thread anyway).
        for effect in effects if run_effects else []:
            if isinstance(effect, flow.IssueTicket):
                self.pool.submit(self._issue, effect)
            elif isinstance(effect, flow.PrintTicket):
                self.pool.submit(self._print, effect.ticket, dict(self.catalog))
            elif isinstance(effect, flow.CheckIn):
                self.pool.submit(self.run_check_in, effect)
            else:
                self.run_access_effect(effect)
        self.render()
        words = prompts.spoken(old, self.state)
        if words:
            self.say(words)

    def render(self) -> None:
        """Show the state's screen and redraw it."""
        self.redraws += 1
        lang = self.state.language
        ids = self.root_widget.ids
        hall = self.catalog.get("hall", {})
        ids.hall.text = str(hall.get("short_name") or hall.get("name") or "") or t(lang, "oos_title")
        ids.language.text = t(lang, "toggle")
        self.render_footer()
        screen = self.sm.get_screen(self.state.screen)
        screen.refresh(self)
        elderize(screen, self.state.elder)
        elderize(ids.header, self.state.elder)
        if self.sm.current != self.state.screen:
            self.sm.current = self.state.screen

    @mainthread
    def _post(self, event: flow.Event) -> None:
        self.send(event)

    # -- background work -----------------------------------------------------------------
    def _issue(self, effect: flow.IssueTicket) -> None:
        self.issue_requests += 1
        try:
            ticket = self.client.issue(effect.service, effect.priority, effect.key,
                                       identity=effect.identity, appointment=effect.appointment)
        except (Unreachable, ApiError) as exc:
            log.warning("issuing failed: %s", exc)
            self._post(flow.TicketFailed(str(exc)))
            return
        self._post(flow.TicketIssued(ticket))

    def _print(self, ticket: dict[str, Any], catalog: dict[str, Any]) -> None:
        try:
            receipt = build_receipt(ticket, catalog, self.printer_settings.footer)
            outcome = print_ticket(receipt, self.printer_settings)
        except Exception as exc:  # a bad receipt must still leave the QR on screen
            log.exception("could not build the receipt")
            self._post(flow.PrintResult(False, repr(exc)))
            self.printer_watch.report("offline", repr(exc))
            return
        self._post(flow.PrintResult(outcome.ok, outcome.message_zh or None))
        self.printer_watch.report(outcome.status, outcome.detail)

    def _supervise(self) -> None:
        """Load the catalogue, follow /ws/hall, and watch the server; runs for the app's life."""
        online: bool | None = None
        while not self._stopping.is_set():
            if self.client.health():
                if online is not True:
                    try:
                        catalog = self.client.catalog()
                        guide = self.client.guide()
                    except (Unreachable, ApiError) as exc:
                        log.warning("catalogue unavailable: %s", exc)
                    else:
                        online = True
                        self._loaded(catalog, guide)
                        self._ensure_listener()
            elif online is not False:
                online = False
                self._post(flow.ServerDown())
            self._stopping.wait(self.settings.retry_interval)

    @mainthread
    def _loaded(self, catalog: dict[str, Any], guide: list[dict[str, Any]]) -> None:
        self.catalog = catalog
        self.guide_matters = guide
        self.send(flow.ServerUp())
        if self.ready_at is None:
            self.ready_at = time.monotonic()

    def _ensure_listener(self) -> None:
        if self._listener is None:
            self._listener = HallListener(self.client.ws_url, self._on_hall_message,
                                          retry_interval=self.settings.retry_interval)
            self._listener.start()

    def _on_hall_message(self, message: dict[str, Any]) -> None:
        """Queue a websocket message (listener thread) and fire the merging trigger."""
        if str(message.get("type", "")).startswith("help.") and isinstance(message.get("help"), dict):
            # A guide's answer shows at once, not after the merging delay.
            self._post(flow.HelpUpdate(dict(message["help"])))
        with self._messages_lock:
            self._pending_messages.append(message)
        self._hall_trigger()

    def _apply_hall_messages(self, _dt: float) -> None:
        """Merge a burst of hall messages into one catalogue refresh and one redraw."""
        with self._messages_lock:
            messages, self._pending_messages = self._pending_messages, []
        self.hall_seq = max([self.hall_seq, *(int(m.get("seq") or -1) for m in messages)])
        snapshot = next((m for m in reversed(messages) if m.get("type") == "snapshot"), None)
        if snapshot is not None:
            counts = {c["code"]: c for c in snapshot.get("categories", [])}
            for cat in self.catalog.get("categories", []):
                if cat["code"] in counts:
                    cat["waiting"] = counts[cat["code"]].get("waiting", cat.get("waiting"))
                    cat["eta_minutes"] = counts[cat["code"]].get("eta_minutes")
        if any(str(m.get("type", "")).startswith(("ticket.", "window.")) for m in messages):
            self._refresh_catalog()
        elif snapshot is not None:
            self._redraw_counts()

    def hall_settled(self) -> bool:
        """Tell whether every hall message received so far has been applied and drawn."""
        with self._messages_lock:
            pending = bool(self._pending_messages)
        return not (pending or self._refreshing or self._hall_trigger.is_triggered)

    def _refresh_catalog(self) -> None:
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self.pool.submit(self._fetch_catalog)

    def _fetch_catalog(self) -> None:
        try:
            catalog: dict[str, Any] | None = self.client.catalog()
        except (Unreachable, ApiError) as exc:
            log.info("catalogue refresh failed: %s", exc)
            catalog = None
        self._catalog_fetched(catalog)

    @mainthread
    def _catalog_fetched(self, catalog: dict[str, Any] | None) -> None:
        self._refreshing = False
        if catalog is not None:
            self.catalog = catalog
            self._redraw_counts()
        if self._refresh_again:
            self._refresh_again = False
            self._refresh_catalog()

    def _redraw_counts(self) -> None:
        # Counts show on home and services only; the confirm and issued screens stay still.
        if self.state.screen in ("home", "services"):
            self.render()

    # -- idle ----------------------------------------------------------------------------
    def _touched(self, *_args: Any) -> None:
        self.last_touch = time.monotonic()

    def idle_seconds(self) -> float:
        """Return the idle time before home: twice as long in 长辈模式."""
        return self.settings.idle_seconds * flow.timeout_factor(self.state)

    def _check_idle(self, _dt: float) -> None:
        if time.monotonic() - self.last_touch >= self.idle_seconds():
            self.last_touch = time.monotonic()
            if self.state.screen != "home" or self.state.language != self.state.default_language or (
                    self.state.elder):
                self.send(flow.IdleTimeout())
