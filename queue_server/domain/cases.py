"""The case (办件) state machine and who may take which action; pure."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from queue_server.domain.model import CaseStatus as S
from queue_server.domain.model import Delivery


class CaseAction(StrEnum):
    PROCESS = "process"
    SUSPEND = "suspend"
    RESUME = "resume"
    COMPLETE = "complete"
    DELIVER = "deliver"
    WITHDRAW = "withdraw"


SOURCES: dict[CaseAction, frozenset[S]] = {
    CaseAction.PROCESS: frozenset({S.ACCEPTED}),
    CaseAction.SUSPEND: frozenset({S.ACCEPTED, S.PROCESSING}),
    CaseAction.RESUME: frozenset({S.SUSPENDED}),
    CaseAction.COMPLETE: frozenset({S.ACCEPTED, S.PROCESSING}),
    CaseAction.DELIVER: frozenset({S.COMPLETED}),
    CaseAction.WITHDRAW: frozenset({S.ACCEPTED, S.PROCESSING, S.SUSPENDED}),
}
TARGETS: dict[CaseAction, S] = {
    CaseAction.PROCESS: S.PROCESSING,
    CaseAction.SUSPEND: S.SUSPENDED,
    CaseAction.COMPLETE: S.COMPLETED,
    CaseAction.DELIVER: S.DELIVERED,
    CaseAction.WITHDRAW: S.WITHDRAWN,
}
# What an agent (代办员) may do to its own station's cases.
AGENT_ACTIONS = frozenset({CaseAction.DELIVER, CaseAction.WITHDRAW})


class CaseTransitionError(ValueError):
    """Raised when an action is not allowed from a case's current state."""

    def __init__(self, action: CaseAction, status: S) -> None:
        super().__init__(f"cannot {action} a case that is {status}")
        self.action = action
        self.status = status


def transition(status: S, action: CaseAction, *, suspended_from: S | None = None) -> S:
    """Return the state a case moves to; resume returns to the state it was suspended from."""
    if status not in SOURCES[action]:
        raise CaseTransitionError(action, status)
    if action == CaseAction.RESUME:
        return suspended_from if suspended_from in (S.ACCEPTED, S.PROCESSING) else S.ACCEPTED
    return TARGETS[action]


def agent_may(action: CaseAction, *, own_station: bool, method: Delivery | None = None) -> bool:
    """Tell whether an agent may take an action: its own station's, deliver by agent or withdraw."""
    if not own_station or action not in AGENT_ACTIONS:
        return False
    return action != CaseAction.DELIVER or method in (None, Delivery.AGENT)


def format_case_number(day: date, n: int) -> str:
    """Format a case number such as BJ20261201-0007 (办件, acceptance day, running number)."""
    return f"BJ{day:%Y%m%d}-{n:04d}"
