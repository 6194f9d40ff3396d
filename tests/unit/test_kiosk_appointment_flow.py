"""The kiosk's 「我有预约」 flow: keypad, scanner keystrokes, check-in, refusals, no Kivy."""

from __future__ import annotations

from kiosk import flow
from kiosk.appointment_flow import ClearCode, DeleteDigit, OpenAppointment, SubmitCode, TypeDigit


def typed(code: str) -> flow.State:
    state, _ = flow.step(flow.initial(), OpenAppointment("key-1"))
    for d in code:
        state, _ = flow.step(state, TypeDigit(d))
    return state


def test_home_opens_the_keypad_and_six_digits_check_in_with_one_key() -> None:
    state = typed("12345678x")  # a scanner may send more; only six digits are kept
    assert (state.screen, state.code) == ("appointment", "123456")
    state, effects = flow.step(state, SubmitCode())
    assert state.phase == "issuing" and effects == [flow.CheckIn("123456", "key-1")]
    again, more = flow.step(state, SubmitCode())  # a second Enter from the scanner does nothing
    assert more == [] and again == state
    assert flow.step(state, TypeDigit("9"))[0].code == "123456"  # typing waits while checking in
    state, effects = flow.step(state, flow.TicketIssued({"id": 1, "number": "C001"}))
    assert state.screen == "issued" and isinstance(effects[0], flow.PrintTicket)


def test_a_short_code_is_not_sent_and_delete_and_clear_edit_it() -> None:
    state = typed("123")
    assert flow.step(state, SubmitCode())[1] == []
    assert flow.step(state, DeleteDigit())[0].code == "12"
    assert flow.step(state, ClearCode())[0].code == ""


def test_a_refusal_is_shown_and_the_code_cleared_for_another_try_or_an_ordinary_ticket() -> None:
    state, _ = flow.step(typed("123456"), SubmitCode())
    state, _ = flow.step(state, flow.TicketFailed("还没到签到时间"))
    assert (state.screen, state.phase, state.code, state.error) == ("appointment", "ready", "", "还没到签到时间")
    home, _ = flow.step(state, flow.Home())
    assert home.screen == "home" and home.error is None


def test_the_keypad_opens_only_from_home_and_back_returns_home() -> None:
    state, _ = flow.step(flow.initial(), flow.SelectCategory("A"))
    assert flow.step(state, OpenAppointment("k"))[0].screen == "services"
    assert flow.step(typed("1"), flow.Back())[0].screen == "home"
