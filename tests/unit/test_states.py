"""The ticket state machine."""

from __future__ import annotations

import pytest

from queue_server.domain.model import TicketStatus as S
from queue_server.domain.states import Action, TransitionError, transition


@pytest.mark.parametrize(
    ("status", "action", "target"),
    [
        (S.WAITING, Action.CALL, S.CALLED),
        (S.CALLED, Action.RECALL, S.CALLED),
        (S.CALLED, Action.START, S.SERVING),
        (S.CALLED, Action.FINISH, S.DONE),
        (S.SERVING, Action.FINISH, S.DONE),
        (S.CALLED, Action.NO_SHOW, S.NO_SHOW),
        (S.SERVING, Action.TRANSFER, S.WAITING),
        (S.WAITING, Action.CANCEL, S.CANCELLED),
        (S.SERVING, Action.EXPIRE, S.EXPIRED),
    ],
)
def test_allowed_transitions(status: S, action: Action, target: S) -> None:
    assert transition(status, action) == target


@pytest.mark.parametrize(
    ("status", "action"),
    [(S.SERVING, Action.START), (S.SERVING, Action.NO_SHOW), (S.SERVING, Action.RECALL),
     (S.DONE, Action.FINISH), (S.CALLED, Action.CANCEL), (S.WAITING, Action.START),
     (S.DONE, Action.EXPIRE), (S.NO_SHOW, Action.CALL)],
)
def test_refused_transitions(status: S, action: Action) -> None:
    with pytest.raises(TransitionError):
        transition(status, action)
