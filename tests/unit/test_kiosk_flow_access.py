"""The kiosk flow for residents who read little: elder mode, a guide, the ID card, SMS."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kiosk import flow
from kiosk.flow import (
    Back,
    CallGuide,
    CardRead,
    CheckInBooked,
    Help,
    HelpFailed,
    HelpRequested,
    HelpUpdate,
    Home,
    Identified,
    Identify,
    IdentifyFailed,
    IdleTimeout,
    IssueTicket,
    NextPage,
    OpenSms,
    OtherService,
    PrevPage,
    PrintResult,
    RegisterSms,
    RequestHelp,
    SelectCategory,
    SelectService,
    ServerDown,
    SmsClear,
    SmsDelete,
    SmsDigit,
    SmsFailed,
    SmsRegistered,
    SmsSubmit,
    State,
    TakePickup,
    TakeTicket,
    TicketFailed,
    TicketIssued,
    ToggleElder,
    WatchHelp,
)

TICKET: dict[str, Any] = {"id": "t1", "number": "A007", "service": "pension-insurance"}
IDENTITY: dict[str, Any] = {
    "identity": "opaque-1", "name_masked": "张*",
    "appointments": [{"code": "123456", "service": "medical-insurance", "start": "x", "end": "y"}],
    "cases_ready": [{"number": "C0001", "matter_name": "残疾人证", "pickup_window": 18}],
}


def run(events: list[Any], state: State | None = None) -> tuple[State, list[flow.Effect]]:
    """Apply events in order; return the final state and every effect."""
    state = state or flow.initial()
    effects: list[flow.Effect] = []
    for event in events:
        state, new = flow.step(state, event)
        effects.extend(new)
    return state, effects


def issued_state(**kw: Any) -> State:
    """Return the issued screen with a printed ticket."""
    state, _ = run([SelectCategory("A"), SelectService("pension-insurance", "k"), TakeTicket(),
                    TicketIssued(TICKET), PrintResult(True)])
    return replace(state, **kw)


# -- 长辈模式 -------------------------------------------------------------------------------
def test_elder_mode_is_one_tap_on_and_one_tap_off_from_home() -> None:
    state, _ = run([ToggleElder()])
    assert state.elder and flow.timeout_factor(state) == 2 and flow.page_size(state) == 4
    state, _ = run([ToggleElder()], state)
    assert not state.elder and flow.timeout_factor(state) == 1 and flow.page_size(state) is None


def test_elder_mode_stays_through_screens_and_home_but_not_idle() -> None:
    state, _ = run([ToggleElder(), SelectCategory("A"), Home()])
    assert state.elder and state.screen == "home"
    state, _ = run([SelectCategory("A"), IdleTimeout()], state)
    assert not state.elder and state.screen == "home"


def test_idle_on_home_in_elder_mode_returns_to_the_ordinary_mode() -> None:
    state, _ = run([ToggleElder(), IdleTimeout()])
    assert not state.elder


def test_elder_mode_cannot_be_toggled_away_from_home() -> None:
    state, _ = run([SelectCategory("A"), ToggleElder()])
    assert not state.elder


def test_elder_pages_hold_four_tiles_and_stop_at_the_ends() -> None:
    state, _ = run([ToggleElder()])
    tiles = list("ABCDEFGH")
    assert flow.visible(state, tiles) == list("ABCD") and flow.page_count(state, 8) == 2
    state, _ = run([NextPage(8)], state)
    assert flow.visible(state, tiles) == list("EFGH")
    state, _ = run([NextPage(8)], state)
    assert state.page == 1
    state, _ = run([PrevPage(), PrevPage()], state)
    assert state.page == 0
    state, _ = run([NextPage(8), SelectCategory("A")], state)
    assert state.page == 0 and state.screen == "services"


def test_outside_elder_mode_every_tile_shows_on_one_page() -> None:
    state = flow.initial()
    assert flow.visible(state, list("ABCDEFGH")) == list("ABCDEFGH")
    assert run([NextPage(8)], state)[0].page == 0


# -- 呼叫导办员 ------------------------------------------------------------------------------
def test_calling_a_guide_asks_the_server_once() -> None:
    state, effects = run([CallGuide("cannot_read")])
    assert state.help == Help("calling") and effects == [RequestHelp("cannot_read")]
    state, effects = run([CallGuide("cannot_read")], state)
    assert effects == []


def test_an_unknown_reason_is_left_out() -> None:
    assert run([CallGuide("weird")])[1] == [RequestHelp(None)]


def test_the_request_is_followed_and_acknowledged_then_resolved() -> None:
    state, effects = run([CallGuide(), HelpRequested({"id": "h1", "kiosk": "d7", "status": "requested"})])
    assert state.help == Help("requested", "h1", "d7") and effects[-1] == WatchHelp("h1")
    state, _ = run([HelpUpdate({"id": "h1", "kiosk": "d7", "status": "acknowledged"})], state)
    assert state.help is not None and state.help.status == "acknowledged"
    state, _ = run([HelpUpdate({"id": "h1", "kiosk": "d7", "status": "resolved"})], state)
    assert state.help is None


def test_events_for_another_kiosk_or_request_change_nothing() -> None:
    state, _ = run([CallGuide(), HelpRequested({"id": "h1", "kiosk": "d7", "status": "requested"})])
    after, _ = run([HelpUpdate({"id": "h2", "kiosk": "d7", "status": "acknowledged"}),
                    HelpUpdate({"id": "h1", "kiosk": "d8", "status": "acknowledged"})], state)
    assert after == state


def test_an_open_request_returned_with_200_keeps_its_status() -> None:
    state, _ = run([CallGuide(), HelpRequested({"id": "h1", "status": "acknowledged"})])
    assert state.help == Help("acknowledged", "h1", None)


def test_a_failed_call_can_be_made_again() -> None:
    state, _ = run([CallGuide(), HelpFailed("down")])
    assert state.help == Help("failed")
    state, effects = run([CallGuide()], state)
    assert effects == [RequestHelp(None)]


def test_the_guide_call_survives_home_idle_and_an_offline_server() -> None:
    state, _ = run([CallGuide(), HelpRequested({"id": "h1", "status": "requested"}),
                    SelectCategory("A"), Home(), IdleTimeout(), ServerDown()])
    assert state.screen == "out_of_service" and state.help is not None and state.help.id == "h1"


def test_a_late_answer_after_resolution_is_ignored() -> None:
    state, _ = run([CallGuide(), HelpRequested({"id": "h1", "status": "requested"}),
                    HelpUpdate({"id": "h1", "status": "resolved"}),
                    HelpRequested({"id": "h1", "status": "requested"})])
    assert state.help is None


# -- the ID card -----------------------------------------------------------------------------
def identified(result: dict[str, Any] | None = None) -> State:
    """Return the card screen after the server matched a card."""
    return run([CardRead("张三", "11010519491231002X"), Identified(result or IDENTITY)])[0]


def test_a_card_on_home_asks_the_server_without_keeping_the_number() -> None:
    state, effects = run([CardRead("张三", "11010519491231002X")])
    assert state.screen == "identity" and state.phase == "identifying"
    assert effects == [Identify("张三", "11010519491231002X")]
    assert "11010519491231002X" not in repr(state) and "11010519491231002X" not in repr(effects)


def test_an_appointment_is_checked_in_with_the_identity() -> None:
    state, effects = run([CheckInBooked("123456", "k1")], identified())
    assert state.phase == "issuing"
    assert effects == [IssueTicket("medical-insurance", None, "k1", "opaque-1", "123456")]
    state, _ = run([TicketIssued(TICKET)], state)
    assert state.screen == "issued"


def test_an_unknown_appointment_code_does_nothing() -> None:
    assert run([CheckInBooked("999999", "k1")], identified())[1] == []


def test_a_pickup_ticket_goes_to_the_configured_service() -> None:
    _state, effects = run([TakePickup("pickup", "k2")], identified())
    assert effects == [IssueTicket("pickup", None, "k2", "opaque-1")]
    assert run([TakePickup("", "k2")], identified())[1] == []


def test_other_services_carry_the_identity_onto_the_ticket() -> None:
    _state, effects = run([OtherService(), SelectCategory("A"), SelectService("pension-insurance", "k3"),
                          Back(), Back(), SelectCategory("A"), SelectService("pension-insurance", "k3"),
                          TakeTicket()], identified())
    assert effects == [IssueTicket("pension-insurance", None, "k3", "opaque-1")]


def test_home_forgets_the_identity() -> None:
    _state, effects = run([OtherService(), Home(), SelectCategory("A"),
                          SelectService("pension-insurance", "k4"), TakeTicket()], identified())
    assert effects == [IssueTicket("pension-insurance", None, "k4", None)]


def test_a_bad_card_says_so_and_another_card_can_be_read() -> None:
    state, _ = run([CardRead("张三", "123"), IdentifyFailed("invalid", invalid=True)])
    assert state.phase == "failed" and state.error == "card_invalid"
    state, effects = run([CardRead("张三", "11010519491231002X")], state)
    assert state.phase == "identifying" and len(effects) == 1


def test_a_card_is_ignored_while_a_ticket_prints() -> None:
    state = replace(issued_state(), phase="printing")
    assert run([CardRead("张三", "1")], state) == (state, [])


def test_a_refused_check_in_stays_on_the_card_screen() -> None:
    state, _ = run([CheckInBooked("123456", "k1"), TicketFailed("预约已过期")], identified())
    assert state.screen == "identity" and state.phase == "ready" and state.error == "预约已过期"


# -- 短信提醒 -------------------------------------------------------------------------------
def test_the_keypad_takes_eleven_digits_and_registers_them() -> None:
    state, _ = run([OpenSms(), *[SmsDigit(d) for d in "138001380001"]], issued_state())
    assert state.screen == "sms" and state.phone == "13800138000"
    state, effects = run([SmsSubmit()], state)
    assert state.sms_phase == "sending" and effects == [RegisterSms("t1", "13800138000")]
    state, _ = run([SmsDigit("1")], state)
    assert state.phone == "13800138000"
    state, _ = run([SmsRegistered()], state)
    assert state.sms_phase == "done"


def test_delete_clear_and_a_bad_number() -> None:
    state, _ = run([OpenSms(), SmsDigit("2"), SmsDigit("3"), SmsDelete()], issued_state())
    assert state.phone == "2"
    state, effects = run([*[SmsDigit("2")] * 10, SmsSubmit()], state)
    assert effects == [] and state.sms_message == "phone_invalid"
    state, _ = run([SmsClear(), SmsDigit("x")], state)
    assert state.phone == "" and state.sms_message is None


def test_a_refusal_shows_its_message_and_allows_another_try() -> None:
    state, _ = run([OpenSms(), *[SmsDigit(d) for d in "13800138000"], SmsSubmit(),
                    SmsFailed("该号码今日登记次数过多")], issued_state())
    assert state.sms_phase == "ready" and state.sms_message == "该号码今日登记次数过多"


def test_sms_only_opens_once_the_ticket_printed_and_back_returns_to_it() -> None:
    printing = replace(issued_state(), phase="printing")
    assert run([OpenSms()], printing)[0].screen == "issued"
    state, _ = run([OpenSms(), SmsDigit("1"), Back()], issued_state())
    assert state.screen == "issued" and state.ticket == TICKET and state.phone == ""


def test_sending_the_number_survives_a_server_drop_and_cannot_be_left() -> None:
    state, _ = run([OpenSms(), *[SmsDigit(d) for d in "13800138000"], SmsSubmit(), ServerDown(),
                    Home(), IdleTimeout()], issued_state())
    assert state.screen == "sms" and state.sms_phase == "sending"
