"""The kiosk's wiring for residents who read little: speech, 长辈模式, a guide, the ID card, SMS."""

from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock, mainthread
from kivy.core.audio import SoundLoader

from kiosk import flow, prompts
from kiosk.card_reader import CardLike, CardWatcher
from kiosk.client import ApiError, Unreachable
from kiosk.i18n import t
from kiosk.icons import markup
from kiosk.palette import GREEN, ORANGE, RED
from kiosk.speech import Renderer, Speaker, parse_quiet_hours

log = logging.getLogger(__name__)
HELP_TONES = {"calling": ORANGE, "requested": ORANGE, "acknowledged": GREEN, "failed": RED}


class AccessMixin:
    """Mixed into KioskApp: it provides send, _post, pool, client, settings, state and ids."""

    state: flow.State
    client: Any
    settings: Any
    pool: Any
    root_widget: Any

    if TYPE_CHECKING:
        def send(self, event: Any, run_effects: bool = True) -> None:
            """Apply an event (KioskApp)."""

        def _post(self, event: Any) -> None:
            """Apply an event on the UI thread (KioskApp)."""

    # -- start and stop ------------------------------------------------------------------
    def start_access(self) -> None:
        """Start speech, the help poll and the ID reader."""
        self.spoken: list[dict[str, Any]] = []  # what was said, for the control port
        self._sound: Any = None
        self._help_polling = False
        self.speaker = Speaker(
            Renderer(Path(self.settings.speech_cache), command=self.settings.espeak,
                     voice=self.settings.speech_voice, speed=self.settings.speech_speed),
            self._play, quiet_hours=parse_quiet_hours(self.settings.quiet_hours))
        self.speaker.prepare(list(prompts.PROMPTS.values()))
        Clock.schedule_interval(self._poll_help, self.settings.help_poll_seconds)
        self.card_watcher: CardWatcher | None = None
        if self.settings.id_reader:
            self.card_watcher = CardWatcher(self.settings.id_reader, self._card_read,
                                            interval=self.settings.id_reader_interval)
            self.card_watcher.start()
        self.say(prompts.prompt(self.state))

    def stop_access(self) -> None:
        """Stop the speech worker and the ID reader."""
        self.speaker.stop()
        if self.card_watcher is not None:
            self.card_watcher.stop()

    # -- intents (called from .kv) -------------------------------------------------------
    def toggle_elder(self) -> None:
        """Switch 长辈模式 on or off."""
        self.send(flow.ToggleElder())
        if self.state.screen == "home":
            self.say(prompts.prompt(self.state))

    def next_page(self) -> None:
        """Show the next page of tiles."""
        self.send(flow.NextPage(int(self.root_widget.ids.sm.current_screen.total)))

    def prev_page(self) -> None:
        """Show the previous page of tiles."""
        self.send(flow.PrevPage())

    def replay(self) -> None:
        """Say the current screen's prompt again (再听一遍), even in quiet hours."""
        words = prompts.help_prompt(self.state) if self.state.help else None
        self.say(prompts.prompt(self.state) + ("。" + words if words else ""), deliberate=True)

    def call_guide(self, reason: str | None = None) -> None:
        """Call a guide to this kiosk."""
        self.send(flow.CallGuide(reason))

    def other_service(self) -> None:
        """Choose another service, carrying the card holder's identity."""
        self.send(flow.OtherService())

    def check_in_booked(self, code: str) -> None:
        """Check in one of the card holder's appointments."""
        self.send(flow.CheckInBooked(code, uuid.uuid4().hex))

    def take_pickup(self) -> None:
        """Take a ticket to collect completed cases."""
        self.send(flow.TakePickup(self.settings.pickup_service, uuid.uuid4().hex))

    def open_sms(self) -> None:
        """Open the 短信提醒 keypad."""
        self.send(flow.OpenSms())

    def sms_digit(self, digit: str) -> None:
        """Type a digit of the phone number."""
        self.send(flow.SmsDigit(digit))

    def sms_delete(self) -> None:
        """Delete the last digit."""
        self.send(flow.SmsDelete())

    def sms_clear(self) -> None:
        """Clear the number."""
        self.send(flow.SmsClear())

    def sms_submit(self) -> None:
        """Register the number for a text."""
        self.send(flow.SmsSubmit())

    # -- drawing -------------------------------------------------------------------------
    def render_footer(self) -> None:
        """Label 再听一遍 and the guide button, which shows the call's status while one is open."""
        lang = self.state.language
        ids = self.root_widget.ids
        ids.replay.text = markup("volume", 60) + "  " + t(lang, "replay")
        help_state = self.state.help
        if help_state is None:
            ids.help.text = markup("hand-stop", 60) + "  " + t(lang, "help")
            ids.help.tone = ORANGE
        else:
            icon = "walk" if help_state.status == "acknowledged" else "hand-stop"
            ids.help.text = markup(icon, 60) + "  " + t(lang, f"help_{help_state.status}")
            ids.help.tone = HELP_TONES.get(help_state.status, ORANGE)

    # -- speech --------------------------------------------------------------------------
    def say(self, text: str, deliberate: bool = False) -> None:
        """Speak a text unless speech is off (长辈模式 always speaks; 再听一遍 is deliberate)."""
        if not (self.settings.speech or self.state.elder or deliberate):
            return
        self.speaker.say(text, deliberate=deliberate)

    @mainthread
    def _play(self, text: str, path: Path) -> None:
        sound = SoundLoader.load(str(path))
        entry: dict[str, Any] = {"text": text, "path": str(path), "at": time.time(),
                                 "length": float(sound.length) if sound else 0.0}
        self.spoken.append(entry)
        del self.spoken[:-50]
        if sound is None:
            return
        if self._sound is not None:
            self._sound.stop()  # a new screen's prompt replaces the old one
        sound.volume = float(self.settings.speech_volume)
        sound.play()
        self._sound = sound

    # -- effects -------------------------------------------------------------------------
    def run_access_effect(self, effect: Any) -> None:
        """Start an effect of the help, card or SMS flow off the UI thread."""
        if isinstance(effect, flow.RequestHelp):
            self.pool.submit(self._request_help, effect.reason)
        elif isinstance(effect, flow.WatchHelp):
            self._poll_help(0)
        elif isinstance(effect, flow.Identify):
            self.pool.submit(self._identify, effect.name, effect.id_number)
        elif isinstance(effect, flow.RegisterSms):
            self.pool.submit(self._register_sms, effect.ticket_id, effect.phone)

    def _request_help(self, reason: str | None) -> None:
        try:
            body = self.client.request_help(reason)
        except (Unreachable, ApiError) as exc:
            log.warning("calling a guide failed: %s", exc)
            self._post(flow.HelpFailed(str(exc)))
            return
        self._post(flow.HelpRequested(body))

    def _poll_help(self, _dt: float) -> None:
        """Ask for the open request's state: the fallback when a /ws/hall event was missed."""
        help_state = self.state.help
        if help_state is None or help_state.id is None or self._help_polling:
            return
        self._help_polling = True
        self.pool.submit(self._fetch_help, help_state.id)

    def _fetch_help(self, help_id: str) -> None:
        try:
            body = self.client.help_status(help_id)
        except ApiError as exc:
            # 404: the request is gone (a restored database), so nobody is coming for it.
            body = {"id": help_id, "status": "resolved"} if exc.status == 404 else None
        except Unreachable:
            body = None
        self._help_fetched(body)

    @mainthread
    def _help_fetched(self, body: dict[str, Any] | None) -> None:
        self._help_polling = False
        if body is not None:
            self.send(flow.HelpUpdate(body))

    def _card_read(self, card: CardLike) -> None:
        """Post a newly placed card (reader thread)."""
        self._post(flow.CardRead(card.name, card.id_number))

    def _identify(self, name: str, id_number: str) -> None:
        try:
            result = self.client.identify(name, id_number)
        except ApiError as exc:
            log.info("identify refused: %s %s", exc.status, exc.code)
            invalid = exc.status in (400, 422)
            self._post(flow.IdentifyFailed(exc.message, invalid=invalid))
            return
        except Unreachable as exc:
            log.warning("identify failed: %s", exc)
            self._post(flow.IdentifyFailed("network"))
            return
        self._post(flow.Identified(result))

    def _register_sms(self, ticket_id: str, phone: str) -> None:
        try:
            self.client.register_sms(ticket_id, phone)
        except ApiError as exc:
            self._post(flow.SmsFailed(exc.message))
            return
        except Unreachable as exc:
            log.warning("sms registration failed: %s", exc)
            self._post(flow.SmsFailed("network"))
            return
        self._post(flow.SmsRegistered())
