"""The 「我有预约」 check-in as pure flow: a 6-digit code typed on the keypad or by a scanner."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.flow import CheckIn, State

CODE_LENGTH = 6


@dataclass(frozen=True)
class OpenAppointment:
    """The resident tapped 「我有预约」 on the home screen; key is a fresh Idempotency-Key."""

    key: str


@dataclass(frozen=True)
class TypeDigit:
    """A digit from the keypad or a scanner that types like a keyboard."""

    digit: str


@dataclass(frozen=True)
class DeleteDigit:
    """The resident tapped 删除."""


@dataclass(frozen=True)
class ClearCode:
    """The resident tapped 清空."""


@dataclass(frozen=True)
class SubmitCode:
    """The resident tapped 确认, or the scanner sent Enter."""


AppointmentEvent = OpenAppointment | TypeDigit | DeleteDigit | ClearCode | SubmitCode


def step_appointment(state: State, event: AppointmentEvent) -> tuple[State, list[CheckIn]]:
    """Apply a check-in event; typing is ignored while the check-in is on its way."""
    if isinstance(event, OpenAppointment):
        if state.screen != "home":
            return state, []
        return replace(state, screen="appointment", code="", phase="ready", error=None,
                       idempotency_key=event.key), []
    if state.screen != "appointment" or state.phase != "ready":
        return state, []
    match event:
        case TypeDigit(digit=d) if d.isdigit() and len(d) == 1 and len(state.code) < CODE_LENGTH:
            return replace(state, code=state.code + d, error=None), []
        case DeleteDigit():
            return replace(state, code=state.code[:-1], error=None), []
        case ClearCode():
            return replace(state, code="", error=None), []
        case SubmitCode() if len(state.code) == CODE_LENGTH:
            assert state.idempotency_key is not None
            return replace(state, phase="issuing", error=None), [CheckIn(state.code, state.idempotency_key)]
    return state, []
