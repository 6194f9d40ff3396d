"""Kiosk navigation as a pure state machine: screens, events and effects, no Kivy."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

SCREENS = ("home", "services", "confirm", "issued", "guide", "out_of_service", "appointment",
           "identity", "sms")
PRIORITIES = ("elderly", "disabled", "veteran", "pregnant")
LANGUAGES = ("zh", "en")
HELP_REASONS = ("cannot_find", "cannot_read", "other")
ELDER_PAGE = 4  # 长辈模式: at most this many tiles on one screen
PHONE_LENGTH = 11


@dataclass(frozen=True)
class Help:
    """A call for a guide (呼叫导办员): "calling" until the server answers, then its status."""

    status: str  # "calling" | "requested" | "acknowledged" | "failed"
    id: str | None = None
    kiosk: str | None = None  # this kiosk's device id, as the server reported it


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
    elder: bool = False  # 长辈模式: larger, fewer tiles a screen, slower, spoken
    page: int = 0  # which page of tiles shows, in elder mode
    help: Help | None = None  # survives navigation until a guide resolves it
    # The ID card's result (POST /api/kiosk/identify): the opaque identity goes on tickets.
    identity: dict[str, Any] | None = field(default=None, hash=False)
    phone: str = ""  # the 短信提醒 number typed so far
    sms_phase: str = "ready"  # "ready" | "sending" | "done"
    sms_message: str | None = None


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


@dataclass(frozen=True)
class ToggleElder:
    """The resident tapped 长辈模式 (or 普通模式 to leave it) on the home screen."""


@dataclass(frozen=True)
class NextPage:
    """The resident tapped 下一页; total is how many tiles the screen has."""

    total: int


@dataclass(frozen=True)
class PrevPage:
    """The resident tapped 上一页."""


@dataclass(frozen=True)
class CallGuide:
    """The resident tapped 呼叫导办员."""

    reason: str | None = None


@dataclass(frozen=True)
class HelpRequested:
    """The server recorded the call (201) or returned the open one (200)."""

    help: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class HelpFailed:
    """The call for a guide did not reach the server."""

    reason: str


@dataclass(frozen=True)
class HelpUpdate:
    """A help.* event on /ws/hall, or the poll's answer: {"id", "kiosk", "status"}."""

    help: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class CardRead:
    """The ID card reader read a new card."""

    name: str
    id_number: str = field(repr=False)


@dataclass(frozen=True)
class Identified:
    """The server matched the card: appointments to check in, cases to collect."""

    result: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class IdentifyFailed:
    """The card was refused (invalid: 422) or the server could not be asked."""

    reason: str
    invalid: bool = False


@dataclass(frozen=True)
class CheckInBooked:
    """签到取号 for one of the card holder's appointments; key is a fresh Idempotency-Key."""

    code: str
    key: str


@dataclass(frozen=True)
class TakePickup:
    """取领件号: a ticket for the pickup service, for the card holder."""

    service: str
    key: str


@dataclass(frozen=True)
class OtherService:
    """办理其他业务: choose a service; the card holder's identity goes on the ticket."""


@dataclass(frozen=True)
class OpenSms:
    """The resident tapped 短信提醒 on the issued screen."""


@dataclass(frozen=True)
class SmsDigit:
    """A digit on the phone keypad."""

    digit: str


@dataclass(frozen=True)
class SmsDelete:
    """删除 on the phone keypad."""


@dataclass(frozen=True)
class SmsClear:
    """清空 on the phone keypad."""


@dataclass(frozen=True)
class SmsSubmit:
    """确定 on the phone keypad."""


@dataclass(frozen=True)
class SmsRegistered:
    """The server took the phone number for the ticket."""


@dataclass(frozen=True)
class SmsFailed:
    """The server refused the phone number (its message) or could not be reached."""

    message: str


Event = (
    SelectCategory | SelectService | ChoosePriority | TakeTicket | TicketIssued | TicketFailed
    | PrintResult | Back | Home | IdleTimeout | ServerDown | ServerUp | ToggleLanguage
    | OpenGuide | GuideCategory | GuideMatter | ToggleElder | NextPage | PrevPage | CallGuide
    | HelpRequested | HelpFailed | HelpUpdate | CardRead | Identified | IdentifyFailed
    | CheckInBooked | TakePickup | OtherService | OpenSms | SmsDigit | SmsDelete | SmsClear
    | SmsSubmit | SmsRegistered | SmsFailed
)


# -- effects -----------------------------------------------------------------------------
@dataclass(frozen=True)
class IssueTicket:
    """Ask the server for a ticket with this Idempotency-Key."""

    service: str
    priority: str | None
    key: str
    identity: str | None = None  # the card holder's opaque identity, when a card was read
    appointment: str | None = None  # a 预约 code checked in from the card screen


@dataclass(frozen=True)
class PrintTicket:
    """Print the issued ticket (and report a printer fault)."""

    ticket: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class CheckIn:
    """Check in a 预约 by its code for a ticket, with this Idempotency-Key."""

    code: str
    key: str


@dataclass(frozen=True)
class RequestHelp:
    """POST /api/kiosk/help."""

    reason: str | None


@dataclass(frozen=True)
class WatchHelp:
    """Follow a help request: /ws/hall events, and GET /api/kiosk/help/{id} every few seconds."""

    id: str


@dataclass(frozen=True)
class Identify:
    """POST /api/kiosk/identify with what the card says."""

    name: str
    id_number: str = field(repr=False)


@dataclass(frozen=True)
class RegisterSms:
    """POST /api/tickets/{id}/sms for the ticket on screen."""

    ticket_id: str
    phone: str = field(repr=False)


Effect = IssueTicket | PrintTicket | CheckIn | RequestHelp | WatchHelp | Identify | RegisterSms


def initial(language: str = "zh") -> State:
    """Return the state of a kiosk that has just started."""
    lang = language if language in LANGUAGES else "zh"
    return State(language=lang, default_language=lang)


def _home(state: State) -> State:
    """Return the home screen: the mode and an open call for a guide stay, the rest goes."""
    screen = "home" if state.online else "out_of_service"
    open_help = state.help if state.help is not None and state.help.status != "failed" else None
    return State(language=state.language, default_language=state.default_language,
                 online=state.online, screen=screen, elder=state.elder, help=open_help)


ISSUING_SCREENS = ("confirm", "appointment", "identity")


def _busy(state: State) -> bool:
    """Tell whether a ticket is being issued or printed, which nothing may interrupt."""
    return (state.screen in ISSUING_SCREENS and state.phase == "issuing") or (
        state.screen == "issued" and state.phase == "printing") or (
        state.screen == "sms" and state.sms_phase == "sending")


def timeout_factor(state: State) -> int:
    """Return how many times longer every timeout runs: twice in 长辈模式."""
    return 2 if state.elder else 1


def page_size(state: State) -> int | None:
    """Return how many tiles a screen shows: 4 in 长辈模式, else all of them."""
    return ELDER_PAGE if state.elder else None


def visible(state: State, items: list[Any]) -> list[Any]:
    """Return the tiles of the current page (all of them outside 长辈模式)."""
    size = page_size(state)
    if size is None:
        return list(items)
    start = min(state.page, max(0, (len(items) - 1) // size)) * size
    return list(items[start:start + size])


def page_count(state: State, total: int) -> int:
    """Return how many pages total tiles take."""
    size = page_size(state)
    return 1 if size is None or total <= 0 else -(-total // size)


def valid_phone(phone: str) -> bool:
    """Tell whether this is an 11-digit mainland mobile number (it starts with 1)."""
    return len(phone) == PHONE_LENGTH and phone.isdigit() and phone.startswith("1")


def step(state: State, event: Any) -> tuple[State, list[Effect]]:
    """Apply one event; return the new state and the effects the shell must run."""
    # The 「我有预约」 events live beside this module, which they import (hence imported here).
    from kiosk import appointment_flow

    if isinstance(event, appointment_flow.AppointmentEvent):
        if not state.online:
            return state, []
        new, effects = appointment_flow.step_appointment(state, event)
        return new, list(effects)
    help_step = _help(state, event)
    if help_step is not None:
        return help_step
    match event:
        case ToggleLanguage():
            return replace(state, language="en" if state.language == "zh" else "zh"), []
        case ServerDown():
            if state.screen in ("issued", "sms") or _busy(state):
                # Never hide a ticket that exists; go out of service once the resident leaves.
                return replace(state, online=False), []
            return replace(_home(state), online=False, screen="out_of_service"), []
        case ServerUp():
            if state.screen == "out_of_service":
                return replace(_home(state), online=True, screen="home"), []
            return replace(state, online=True), []
        case IdleTimeout():
            if _busy(state) or (state.screen == "home" and state.language == state.default_language
                                and not state.elder and state.identity is None):
                return state, []
            # The next resident starts afresh: the default language, the ordinary mode.
            return replace(_home(state), language=state.default_language, elder=False), []
        case Home():
            if _busy(state):
                return state, []
            return _home(state), []
        case TicketIssued(ticket=ticket):
            if state.screen not in ISSUING_SCREENS or state.phase != "issuing":
                return state, []
            new = replace(state, screen="issued", phase="printing", ticket=ticket, error=None,
                          print_message=None)
            return new, [PrintTicket(ticket)]
        case TicketFailed(reason=reason):
            if state.screen not in ISSUING_SCREENS or state.phase != "issuing":
                return state, []
            return replace(state, phase="ready", error=reason, code=""), []
        case PrintResult(ok=ok, message=message):
            if state.screen != "issued" or state.phase != "printing":
                return state, []
            return replace(state, phase="printed" if ok else "print_failed",
                           print_message=message), []
    if not state.online and state.screen == "out_of_service":
        return state, []
    for sub in (_card, _sms, _pages):
        result = sub(state, event)
        if result is not None:
            return result
    return _navigate(state, event)


def _help(state: State, event: Any) -> tuple[State, list[Effect]] | None:
    """Handle 呼叫导办员 on any screen, online or not; None for any other event."""
    current = state.help
    match event:
        case CallGuide(reason=reason):
            if current is not None and current.status != "failed":
                return state, []  # one open call per kiosk; the banner already shows it
            reason = reason if reason in HELP_REASONS else None
            return replace(state, help=Help("calling")), [RequestHelp(reason)]
        case HelpRequested(help=body):
            if current is None or current.status != "calling":
                return state, []
            status = str(body.get("status") or "requested")
            if status == "resolved":
                return replace(state, help=None), []
            kiosk = body.get("kiosk")
            new = Help(status, str(body["id"]), None if kiosk is None else str(kiosk))
            return replace(state, help=new), [WatchHelp(new.id or "")]
        case HelpFailed():
            if current is None or current.status != "calling":
                return state, []
            return replace(state, help=Help("failed")), []
        case HelpUpdate(help=body):
            if current is None or current.id is None or str(body.get("id")) != current.id:
                return state, []
            if current.kiosk is not None and body.get("kiosk") is not None and (
                    str(body["kiosk"]) != current.kiosk):
                return state, []
            status = str(body.get("status") or "")
            if status == "resolved":
                return replace(state, help=None), []
            if status == "acknowledged" and current.status == "requested":
                return replace(state, help=replace(current, status="acknowledged")), []
            return state, []
    return None


CARD_SCREENS = ("home", "services", "guide", "identity", "confirm", "appointment")


def _card(state: State, event: Any) -> tuple[State, list[Effect]] | None:
    """Handle the ID card and its screen; None for any other event."""
    match event:
        case CardRead(name=card_name, id_number=number):
            if state.screen not in CARD_SCREENS or _busy(state) or (
                    state.screen == "identity" and state.phase == "identifying"):
                return state, []
            new = replace(_home(state), screen="identity", phase="identifying")
            return new, [Identify(card_name, number)]
        case Identified(result=result):
            if state.screen != "identity" or state.phase != "identifying":
                return state, []
            return replace(state, phase="ready", identity=dict(result), error=None), []
        case IdentifyFailed(reason=reason, invalid=invalid):
            if state.screen != "identity" or state.phase != "identifying":
                return state, []
            return replace(state, phase="failed", identity=None,
                           error="card_invalid" if invalid else reason), []
        case CheckInBooked(code=code, key=key) if state.screen == "identity" and state.phase == "ready":
            identity = state.identity or {}
            booked = next((a for a in identity.get("appointments", []) if a.get("code") == code), None)
            if booked is None:
                return state, []
            effect = IssueTicket(str(booked["service"]), None, key, _opaque(state), code)
            return replace(state, phase="issuing", idempotency_key=key, error=None), [effect]
        case TakePickup(service=service, key=key) if state.screen == "identity" and state.phase == "ready":
            if not service or not (state.identity or {}).get("cases_ready"):
                return state, []
            effect = IssueTicket(service, None, key, _opaque(state))
            return replace(state, phase="issuing", idempotency_key=key, error=None), [effect]
        case OtherService() if state.screen == "identity" and state.phase == "ready":
            return replace(state, screen="home", phase="ready", page=0), []
    return None


def _opaque(state: State) -> str | None:
    identity = (state.identity or {}).get("identity")
    return None if identity is None else str(identity)


def _sms(state: State, event: Any) -> tuple[State, list[Effect]] | None:
    """Handle the 短信提醒 keypad; None for any other event."""
    match event:
        case OpenSms():
            if state.screen != "issued" or state.phase == "printing" or not state.ticket:
                return state, []
            return replace(state, screen="sms", phone="", sms_phase="ready", sms_message=None), []
        case SmsRegistered():
            if state.screen != "sms" or state.sms_phase != "sending":
                return state, []
            return replace(state, sms_phase="done", sms_message=None), []
        case SmsFailed(message=message):
            if state.screen != "sms" or state.sms_phase != "sending":
                return state, []
            return replace(state, sms_phase="ready", sms_message=message), []
    if not isinstance(event, SmsDigit | SmsDelete | SmsClear | SmsSubmit):
        return None
    if state.screen != "sms" or state.sms_phase != "ready":
        return state, []
    match event:
        case SmsDigit(digit=d):
            if not (len(d) == 1 and d.isdigit()) or len(state.phone) >= PHONE_LENGTH:
                return state, []
            return replace(state, phone=state.phone + d, sms_message=None), []
        case SmsDelete():
            return replace(state, phone=state.phone[:-1], sms_message=None), []
        case SmsClear():
            return replace(state, phone="", sms_message=None), []
        case SmsSubmit():
            if not valid_phone(state.phone):
                return replace(state, sms_message="phone_invalid"), []
            ticket_id = str((state.ticket or {}).get("id", ""))
            return replace(state, sms_phase="sending", sms_message=None), [
                RegisterSms(ticket_id, state.phone)]
    return None


def _pages(state: State, event: Any) -> tuple[State, list[Effect]] | None:
    """Handle 长辈模式 and its pages; None for any other event."""
    match event:
        case ToggleElder() if state.screen == "home":
            return replace(state, elder=not state.elder, page=0), []
        case NextPage(total=total):
            if state.page + 1 < page_count(state, total):
                return replace(state, page=state.page + 1), []
            return state, []
        case PrevPage():
            return replace(state, page=max(0, state.page - 1)), []
    return None


def _navigate(state: State, event: Event) -> tuple[State, list[Effect]]:
    match event:
        case SelectCategory(code=code) if state.screen == "home":
            return replace(state, screen="services", category=code, page=0), []
        case SelectService(code=code, key=key) if state.screen == "services":
            return replace(state, screen="confirm", service=code, priority=None,
                           phase="ready", idempotency_key=key, error=None), []
        case ChoosePriority(priority=p) if state.screen == "confirm" and state.phase == "ready":
            if p not in PRIORITIES:
                return state, []
            return replace(state, priority=None if state.priority == p else p), []
        case TakeTicket() if state.screen == "confirm" and state.phase == "ready":
            assert state.service is not None and state.idempotency_key is not None
            effect = IssueTicket(state.service, state.priority, state.idempotency_key,
                                 _opaque(state))
            return replace(state, phase="issuing", error=None), [effect]
        case OpenGuide() if state.screen == "home":
            return replace(state, screen="guide", guide_category=None, guide_matter=None,
                           page=0), []
        case GuideCategory(code=code) if state.screen == "guide":
            return replace(state, guide_category=code, guide_matter=None, page=0), []
        case GuideMatter(code=code) if state.screen == "guide":
            return replace(state, guide_matter=code), []
        case Back():
            return _back(state), []
    return state, []


def _back(state: State) -> State:
    if _busy(state):
        return state
    if state.screen == "services":
        # Back to the categories: a card holder's identity stays on for the next choice.
        return replace(_home(state), identity=state.identity)
    if state.screen == "confirm":
        return replace(state, screen="services", service=None, priority=None,
                       idempotency_key=None, error=None, phase="ready")
    if state.screen == "guide":
        if state.guide_matter is not None:
            return replace(state, guide_matter=None)
        if state.guide_category is not None:
            return replace(state, guide_category=None, page=0)
        return _home(state)
    if state.screen == "sms":
        return replace(state, screen="issued", phone="", sms_phase="ready", sms_message=None)
    if state.screen in ("issued", "appointment", "identity"):
        return _home(state)
    return state
