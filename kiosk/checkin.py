"""The kiosk's 「我有预约」 wiring: keypad intents, the scanner's keystrokes, and the check-in call."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from kivy.core.window import Window

from kiosk import appointment_flow as appt
from kiosk import flow
from kiosk.client import ApiError, Unreachable

log = logging.getLogger(__name__)
ENTER_KEYS = (13, 271)  # Return and keypad Enter: what a barcode scanner sends after the digits


class CheckInMixin:
    """Mixed into KioskApp: it provides send, _post, pool, client and state."""

    state: flow.State
    client: Any

    if TYPE_CHECKING:
        def send(self, event: Any) -> None:
            """Apply an event (KioskApp)."""

        def _post(self, event: Any) -> None:
            """Apply an event on the UI thread (KioskApp)."""

    def open_appointment(self) -> None:
        """Open the keypad with a fresh Idempotency-Key."""
        self.send(appt.OpenAppointment(uuid.uuid4().hex))

    def type_digit(self, digit: str) -> None:
        """Add a digit to the code."""
        self.send(appt.TypeDigit(digit))

    def delete_digit(self) -> None:
        """Remove the last digit."""
        self.send(appt.DeleteDigit())

    def clear_code(self) -> None:
        """Clear the code."""
        self.send(appt.ClearCode())

    def submit_code(self) -> None:
        """Check the code in."""
        self.send(appt.SubmitCode())

    def bind_scanner(self) -> None:
        """Accept keystrokes on the appointment screen: a scanner types the digits, then Enter."""
        Window.bind(on_textinput=self._on_text, on_key_down=self._on_key)

    def _on_text(self, _window: Any, text: str) -> None:
        if self.state.screen == "appointment":
            for ch in text:
                self.type_digit(ch)

    def _on_key(self, _window: Any, key: int, *_args: Any) -> bool:
        if self.state.screen == "appointment" and key in ENTER_KEYS:
            self.submit_code()
            return True
        if self.state.screen == "appointment" and key == 8:  # Backspace
            self.delete_digit()
            return True
        return False

    def run_check_in(self, effect: flow.CheckIn) -> None:
        """Check the appointment in off the UI thread and post the ticket or the refusal."""
        try:
            ticket = self.client.check_in(effect.code, effect.key)
        except (Unreachable, ApiError) as exc:
            log.warning("check-in failed: %s", exc)
            reason = exc.message if isinstance(exc, ApiError) else "网络连接失败，请稍后再试，或取普通号"
            self._post(flow.TicketFailed(reason))
            return
        self._post(flow.TicketIssued(ticket))
