"""Kiosk navigation as a pure state machine: screens, events and effects, no Kivy."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

SCREENS = ("home", "services", "confirm", "issued", "guide", "out_of_service", "appointment")
PRIORITIES = ("elderly", "disabled", "veteran", "pregnant")
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class State:
    """Everything the kiosk shows, as plain data."""

    screen: str = "home"
    language: str = "zh"
    default_language: str = "zh"
    online: bool = True
    category: str | None = None
    service: str | None = None
    priority: str | None = None
    # confirm: "ready" | "issuing"; issued: "printing" | "printed" | "print_failed"
    phase: str = "ready"
    idempotency_key: str | None = None
    ticket: dict[str, Any] | None = None
    error: str | None = None
    print_message: str | None = None
    guide_category: str | None = None
    guide_matter: str | None = None
    code: str = ""  # the 预约 code typed so far on the appointment screen


# -- events ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SelectCategory:
    """The resident tapped a category tile."""

    code: str


@dataclass(frozen=True)
class SelectService:
    """The resident tapped a service; key is a fresh Idempotency-Key for this confirm screen."""

    code: str
    key: str


@dataclass(frozen=True)
class ChoosePriority:
    """The resident tapped a priority class (tapping the chosen one again clears it)."""

    priority: str


@dataclass(frozen=True)
class TakeTicket:
    """The resident tapped 取号."""


@dataclass(frozen=True)
class TicketIssued:
    """The server issued the ticket."""

    ticket: dict[str, Any]


@dataclass(frozen=True)
class TicketFailed:
    """Issuing failed; the same key is kept so a retry cannot duplicate."""

    reason: str


@dataclass(frozen=True)
class PrintResult:
    """The printer finished (ok) or failed (message for the screen)."""

    ok: bool
    message: str | None = None


@dataclass(frozen=True)
class Back:
    """The resident tapped 返回."""


@dataclass(frozen=True)
class Home:
    """The resident tapped 首页."""


@dataclass(frozen=True)
class IdleTimeout:
    """Nobody touched the screen for the idle time."""


@dataclass(frozen=True)
class ServerDown:
    """The server cannot be reached."""


@dataclass(frozen=True)
class ServerUp:
    """The server answers again."""


@dataclass(frozen=True)
class ToggleLanguage:
    """Switch between 中文 and English."""


@dataclass(frozen=True)
class OpenGuide:
    """Open the 能办吗？ guide."""


@dataclass(frozen=True)
class GuideCategory:
    """Show the matters of one category in the guide."""

    code: str


@dataclass(frozen=True)
class GuideMatter:
    """Open one matter in the guide."""

    code: str


Event = (
    SelectCategory | SelectService | ChoosePriority | TakeTicket | TicketIssued | TicketFailed
    | PrintResult | Back | Home | IdleTimeout | ServerDown | ServerUp | ToggleLanguage
    | OpenGuide | GuideCategory | GuideMatter
)


# -- effects -----------------------------------------------------------------------------
@dataclass(frozen=True)
class IssueTicket:
    """Ask the server for a ticket with this Idempotency-Key."""

    service: str
    priority: str | None
    key: str


@dataclass(frozen=True)
class PrintTicket:
    """Print the issued ticket (and report a printer fault)."""

    ticket: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class CheckIn:
    """Check in a 预约 by its code for a ticket, with this Idempotency-Key."""

    code: str
    key: str


Effect = IssueTicket | PrintTicket | CheckIn


def initial(language: str = "zh") -> State:
    """Return the state of a kiosk that has just started."""
    lang = language if language in LANGUAGES else "zh"
    return State(language=lang, default_language=lang)


def _home(state: State) -> State:
    screen = "home" if state.online else "out_of_service"
    return State(language=state.language, default_language=state.default_language,
                 online=state.online, screen=screen)


def _busy(state: State) -> bool:
    """Tell whether a ticket is being issued or printed, which nothing may interrupt."""
    return (state.screen in ("confirm", "appointment") and state.phase == "issuing") or (
        state.screen == "issued" and state.phase == "printing")


def step(state: State, event: Any) -> tuple[State, list[Effect]]:
    """Apply one event; return the new state and the effects the shell must run."""
    # The 「我有预约」 events live beside this module, which they import (hence imported here).
    from kiosk import appointment_flow

    if isinstance(event, appointment_flow.AppointmentEvent):
        if not state.online:
            return state, []
        new, effects = appointment_flow.step_appointment(state, event)
        return new, list(effects)
    match event:
        case ToggleLanguage():
            return replace(state, language="en" if state.language == "zh" else "zh"), []
        case ServerDown():
            if state.screen == "issued" or _busy(state):
                # Never hide a ticket that exists; go out of service once the resident leaves.
                return replace(state, online=False), []
            return replace(_home(state), online=False, screen="out_of_service"), []
        case ServerUp():
            if state.screen == "out_of_service":
                return replace(_home(state), online=True, screen="home"), []
            return replace(state, online=True), []
        case IdleTimeout():
            if _busy(state) or (state.screen == "home" and state.language
                                == state.default_language):
                return state, []
            return replace(_home(state), language=state.default_language), []
        case Home():
            if _busy(state):
                return state, []
            return _home(state), []
        case TicketIssued(ticket=ticket):
            if state.screen not in ("confirm", "appointment") or state.phase != "issuing":
                return state, []
            new = replace(state, screen="issued", phase="printing", ticket=ticket, error=None,
                          print_message=None)
            return new, [PrintTicket(ticket)]
        case TicketFailed(reason=reason):
            if state.screen not in ("confirm", "appointment") or state.phase != "issuing":
                return state, []
            return replace(state, phase="ready", error=reason, code=""), []
        case PrintResult(ok=ok, message=message):
            if state.screen != "issued" or state.phase != "printing":
                return state, []
            return replace(state, phase="printed" if ok else "print_failed",
                           print_message=message), []
    if not state.online and state.screen == "out_of_service":
        return state, []
    return _navigate(state, event)


def _navigate(state: State, event: Event) -> tuple[State, list[Effect]]:
    match event:
        case SelectCategory(code=code) if state.screen == "home":
            return replace(state, screen="services", category=code), []
        case SelectService(code=code, key=key) if state.screen == "services":
            return replace(state, screen="confirm", service=code, priority=None,
                           phase="ready", idempotency_key=key, error=None), []
        case ChoosePriority(priority=p) if state.screen == "confirm" and state.phase == "ready":
            if p not in PRIORITIES:
                return state, []
            return replace(state, priority=None if state.priority == p else p), []
        case TakeTicket() if state.screen == "confirm" and state.phase == "ready":
            assert state.service is not None and state.idempotency_key is not None
            effect = IssueTicket(state.service, state.priority, state.idempotency_key)
            return replace(state, phase="issuing", error=None), [effect]
        case OpenGuide() if state.screen == "home":
            return replace(state, screen="guide", guide_category=None, guide_matter=None), []
        case GuideCategory(code=code) if state.screen == "guide":
            return replace(state, guide_category=code, guide_matter=None), []
        case GuideMatter(code=code) if state.screen == "guide":
            return replace(state, guide_matter=code), []
        case Back():
            return _back(state), []
    return state, []


def _back(state: State) -> State:
    if _busy(state):
        return state
    if state.screen == "services":
        return _home(state)
    if state.screen == "confirm":
        return replace(state, screen="services", service=None, priority=None,
                       idempotency_key=None, error=None, phase="ready")
    if state.screen == "guide":
        if state.guide_matter is not None:
            return replace(state, guide_matter=None)
        if state.guide_category is not None:
            return replace(state, guide_category=None)
        return _home(state)
    if state.screen in ("issued", "appointment"):
        return _home(state)
    return state
