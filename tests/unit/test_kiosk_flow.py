"""The kiosk's navigation state machine, without Kivy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk import flow
from kiosk.flow import (
    Back,
    ChoosePriority,
    GuideCategory,
    GuideMatter,
    Home,
    IdleTimeout,
    IssueTicket,
    OpenGuide,
    PrintResult,
    PrintTicket,
    SelectCategory,
    SelectService,
    ServerDown,
    ServerUp,
    State,
    TakeTicket,
    TicketFailed,
    TicketIssued,
    ToggleLanguage,
)

CATALOG = {
    "A": ["pension-insurance", "medical-insurance", "social-security-card"],
    "B": ["subsistence-allowance", "temporary-relief", "elderly-care"],
    "G": ["tax-filing", "invoice"],
}
TICKET: dict[str, Any] = {"number": "A007", "service": "pension-insurance"}


def run(events: list[flow.Event], state: State | None = None) -> tuple[State, list[flow.Effect]]:
    """Apply events in order; return the final state and every effect."""
    state = state or flow.initial()
    effects: list[flow.Effect] = []
    for event in events:
        state, new = flow.step(state, event)
        effects.extend(new)
    return state, effects


def at_confirm(priority: str | None = None) -> State:
    """Return the state on the confirm screen of the pension service."""
    events: list[flow.Event] = [SelectCategory("A"), SelectService("pension-insurance", "k1")]
    if priority:
        events.append(ChoosePriority(priority))
    return run(events)[0]


@pytest.mark.parametrize(("category", "service"),
                         [(c, s) for c, services in CATALOG.items() for s in services])
def test_every_service_is_three_taps_from_home(category: str, service: str) -> None:
    state, effects = run([SelectCategory(category), SelectService(service, "key"), TakeTicket()])
    assert effects == [IssueTicket(service, None, "key")]
    assert state.screen == "confirm" and state.phase == "issuing"


def test_issued_ticket_shows_and_prints() -> None:
    state, effects = run([TakeTicket(), TicketIssued(TICKET)], at_confirm())
    assert state.screen == "issued" and state.phase == "printing"
    assert effects == [IssueTicket("pension-insurance", None, "k1"), PrintTicket(TICKET)]
    state, _ = flow.step(state, PrintResult(True))
    assert state.phase == "printed"


def test_print_failure_keeps_the_ticket_on_screen() -> None:
    state, _ = run([TakeTicket(), TicketIssued(TICKET), PrintResult(False, "缺纸")], at_confirm())
    assert (state.screen, state.phase, state.ticket) == ("issued", "print_failed", TICKET)
    assert state.print_message == "缺纸"


def test_double_tap_issues_once() -> None:
    _, effects = run([TakeTicket(), TakeTicket()], at_confirm())
    assert effects == [IssueTicket("pension-insurance", None, "k1")]


def test_retry_after_failure_reuses_the_key() -> None:
    state, effects = run([TakeTicket(), TicketFailed("timeout"), TakeTicket()], at_confirm())
    assert [e.key for e in effects if isinstance(e, IssueTicket)] == ["k1", "k1"]
    assert state.phase == "issuing" and state.error is None


def test_failure_shows_an_error_and_allows_a_retry() -> None:
    state, _ = run([TakeTicket(), TicketFailed("timeout")], at_confirm())
    assert state.screen == "confirm" and state.phase == "ready" and state.error == "timeout"


def test_a_new_confirm_screen_gets_a_new_key() -> None:
    state, _ = run([Back(), SelectService("medical-insurance", "k2")], at_confirm())
    assert state.idempotency_key == "k2" and state.service == "medical-insurance"


def test_priority_is_sent_and_toggles_off() -> None:
    _, effects = run([TakeTicket()], at_confirm("veteran"))
    assert effects == [IssueTicket("pension-insurance", "veteran", "k1")]
    state, _ = flow.step(at_confirm("veteran"), ChoosePriority("veteran"))
    assert state.priority is None


def test_unknown_priority_is_ignored() -> None:
    state, _ = flow.step(at_confirm(), ChoosePriority("vip"))
    assert state.priority is None


def test_back_walks_up_one_level() -> None:
    state = at_confirm("elderly")
    state, _ = flow.step(state, Back())
    assert (state.screen, state.priority, state.idempotency_key) == ("services", None, None)
    state, _ = flow.step(state, Back())
    assert state.screen == "home" and state.category is None


def test_home_clears_the_selection_but_keeps_the_language() -> None:
    state, _ = run([ToggleLanguage(), Home()], at_confirm("elderly"))
    assert state.screen == "home" and state.service is None and state.language == "en"


def test_idle_timeout_returns_home_in_the_default_language() -> None:
    state, _ = run([ToggleLanguage(), IdleTimeout()], at_confirm())
    assert state.screen == "home" and state.language == "zh"


def test_idle_timeout_never_interrupts_issuing_or_printing() -> None:
    issuing, _ = run([TakeTicket(), IdleTimeout(), Home(), Back()], at_confirm())
    assert issuing.screen == "confirm" and issuing.phase == "issuing"
    printing, _ = run([TicketIssued(TICKET), IdleTimeout(), Home()], issuing)
    assert printing.screen == "issued" and printing.phase == "printing"
    done, _ = run([PrintResult(True), IdleTimeout()], printing)
    assert done.screen == "home" and done.ticket is None


def test_server_down_shows_out_of_service_and_recovers_to_home() -> None:
    state, _ = flow.step(at_confirm(), ServerDown())
    assert state.screen == "out_of_service" and not state.online
    state, effects = run([SelectCategory("A"), TakeTicket(), OpenGuide()], state)
    assert state.screen == "out_of_service" and effects == []
    state, _ = flow.step(state, ServerUp())
    assert state.screen == "home" and state.online


def test_server_down_never_hides_an_issued_ticket() -> None:
    state, _ = run([TakeTicket(), TicketIssued(TICKET), ServerDown()], at_confirm())
    assert state.screen == "issued" and not state.online
    state, _ = run([PrintResult(True), Home()], state)
    assert state.screen == "out_of_service"


def test_late_answers_are_ignored() -> None:
    state, effects = run([TicketIssued(TICKET), PrintResult(True), TicketFailed("x")])
    assert state == flow.initial() and effects == []


def test_guide_opens_a_category_then_a_matter_and_backs_out() -> None:
    state, _ = run([OpenGuide(), GuideCategory("E"), GuideMatter("M042")])
    assert (state.screen, state.guide_category, state.guide_matter) == ("guide", "E", "M042")
    state, _ = flow.step(state, Back())
    assert state.guide_matter is None and state.guide_category == "E"
    state, _ = run([Back(), Back()], state)
    assert state.screen == "home"


def test_language_toggles_both_ways_and_defaults_from_settings() -> None:
    assert flow.initial("en").language == "en"
    assert flow.initial("fr").language == "zh"
    state, _ = run([ToggleLanguage(), ToggleLanguage(), ToggleLanguage()])
    assert state.language == "en"


def test_the_simplified_chinese_face_is_taken_out_of_a_font_collection(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    from kiosk.run import single_face
    from printer.fonts import find_cjk_face

    face = find_cjk_face(None)
    path = single_face(face, tmp_path)
    if face.index == 0:
        assert path == str(face.path)
        return
    assert Path(path).parent == tmp_path
    assert "SC" in TTFont(path)["name"].getDebugName(4)
    assert single_face(face, tmp_path) == path  # kept for the next start
