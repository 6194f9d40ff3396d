"""The ticket state machine: which clerk action moves a ticket from which state to which."""

from __future__ import annotations

from enum import StrEnum

from queue_server.domain.model import TicketStatus as S


class Action(StrEnum):
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no-show"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    EXPIRE = "expire"


TRANSITIONS: dict[Action, tuple[frozenset[S], S]] = {
    Action.CALL: (frozenset({S.WAITING}), S.CALLED),
    Action.RECALL: (frozenset({S.CALLED}), S.CALLED),
    Action.START: (frozenset({S.CALLED}), S.SERVING),
    Action.FINISH: (frozenset({S.CALLED, S.SERVING}), S.DONE),
    Action.NO_SHOW: (frozenset({S.CALLED}), S.NO_SHOW),
    Action.TRANSFER: (frozenset({S.CALLED, S.SERVING}), S.WAITING),
    Action.CANCEL: (frozenset({S.WAITING}), S.CANCELLED),
    Action.EXPIRE: (frozenset({S.WAITING, S.CALLED, S.SERVING}), S.EXPIRED),
}


class TransitionError(ValueError):
    """Raised when an action is not allowed from a ticket's current state."""

    def __init__(self, action: Action, status: S) -> None:
        super().__init__(f"cannot {action} a ticket that is {status}")
        self.action = action
        self.status = status


def transition(status: S, action: Action) -> S:
    """Return the state a ticket moves to, or raise TransitionError."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise TransitionError(action, status)
    return target
