"""The case state machine and numbering: pure rules."""

from __future__ import annotations

from datetime import date

import pytest

from queue_server.domain.cases import (
    CaseAction,
    CaseTransitionError,
    agent_may,
    format_case_number,
    transition,
)
from queue_server.domain.model import CaseStatus as S
from queue_server.domain.model import Delivery

ALLOWED = {
    CaseAction.PROCESS: {S.ACCEPTED},
    CaseAction.SUSPEND: {S.ACCEPTED, S.PROCESSING},
    CaseAction.RESUME: {S.SUSPENDED},
    CaseAction.COMPLETE: {S.ACCEPTED, S.PROCESSING},
    CaseAction.DELIVER: {S.COMPLETED},
    CaseAction.WITHDRAW: {S.ACCEPTED, S.PROCESSING, S.SUSPENDED},
}


@pytest.mark.parametrize("action", list(CaseAction))
@pytest.mark.parametrize("status", list(S))
def test_each_action_works_only_from_the_states_the_contract_names(action: CaseAction, status: S) -> None:
    if status in ALLOWED[action]:
        transition(status, action, suspended_from=S.PROCESSING)
    else:
        with pytest.raises(CaseTransitionError):
            transition(status, action)


def test_resume_returns_to_the_state_it_was_suspended_from() -> None:
    assert transition(S.SUSPENDED, CaseAction.RESUME, suspended_from=S.PROCESSING) == S.PROCESSING
    assert transition(S.SUSPENDED, CaseAction.RESUME, suspended_from=S.ACCEPTED) == S.ACCEPTED
    assert transition(S.ACCEPTED, CaseAction.COMPLETE) == S.COMPLETED
    assert transition(S.COMPLETED, CaseAction.DELIVER) == S.DELIVERED
    assert transition(S.SUSPENDED, CaseAction.WITHDRAW) == S.WITHDRAWN


def test_an_agent_may_only_deliver_by_agent_or_withdraw_its_own_stations_cases() -> None:
    assert agent_may(CaseAction.WITHDRAW, own_station=True)
    assert agent_may(CaseAction.DELIVER, own_station=True, method=Delivery.AGENT)
    assert not agent_may(CaseAction.DELIVER, own_station=True, method=Delivery.PICKUP)
    assert not agent_may(CaseAction.WITHDRAW, own_station=False)
    assert not agent_may(CaseAction.COMPLETE, own_station=True)


def test_case_numbers() -> None:
    assert format_case_number(date(2026, 12, 1), 7) == "BJ20261201-0007"
    assert format_case_number(date(2026, 12, 1), 12345) == "BJ20261201-12345"
