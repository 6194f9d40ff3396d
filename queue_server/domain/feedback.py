"""The feedback loop (好差评整改): states, deadlines and the figures managers read; pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from queue_server.domain.model import FeedbackKind
from queue_server.domain.model import FeedbackStatus as S

BAD_GRADE_MAX = 2  # 不满意 (2) and 非常不满意 (1) open an item


class FeedbackAction(StrEnum):
    VISIT = "visit"  # 回访
    RECTIFY = "rectify"  # 整改
    CLOSE = "close"  # 反馈 to the resident


SOURCES: dict[FeedbackAction, frozenset[S]] = {
    FeedbackAction.VISIT: frozenset({S.OPEN}),
    FeedbackAction.RECTIFY: frozenset({S.VISITED}),
    FeedbackAction.CLOSE: frozenset({S.VISITED, S.RECTIFIED}),
}
TARGETS: dict[FeedbackAction, S] = {
    FeedbackAction.VISIT: S.VISITED,
    FeedbackAction.RECTIFY: S.RECTIFIED,
    FeedbackAction.CLOSE: S.CLOSED,
}


class FeedbackTransitionError(ValueError):
    """Raised when a step of the loop is taken out of order."""

    def __init__(self, action: FeedbackAction, status: S) -> None:
        super().__init__(f"cannot {action} a feedback item that is {status}")
        self.action = action
        self.status = status


def transition(status: S, action: FeedbackAction) -> S:
    """Return the state an item moves to, or refuse a step out of order."""
    if status not in SOURCES[action]:
        raise FeedbackTransitionError(action, status)
    return TARGETS[action]


def opens_item(grade: int) -> bool:
    """Tell whether a grade is bad enough to open a feedback item."""
    return grade <= BAD_GRADE_MAX


def format_feedback_number(day: date, item_id: int) -> str:
    """Format the confirmation number a resident keeps, e.g. FK20261201-0042."""
    return f"FK{day:%Y%m%d}-{item_id:04d}"


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What the figures need of one item: kind, phone, due date, and the days it was settled."""

    kind: FeedbackKind
    has_phone: bool
    due_date: date
    visited: bool
    settled_on: date | None  # the local day it was first rectified or closed


def is_overdue(*, closed: bool, due_date: date, today: date) -> bool:
    """Tell whether an item's loop is still open after its due date."""
    return not closed and today > due_date


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100.0 * part / whole, 1)


def figures(opened: Iterable[ItemFacts], *, open_now: int, overdue_now: int,
            today: date) -> dict[str, object]:
    """Return /api/stats/feedback from the items opened in the range and the counts as of now.

    visited_pct: of the items with a phone, the share visited (实名差评回访率).
    rectified_on_time_pct: of the items settled or already past due, the share settled (rectified,
    or closed without a rectification) on or before the due date.
    """
    bad = cannot = with_phone = visited = due = on_time = 0
    for f in opened:
        bad += f.kind == FeedbackKind.BAD_GRADE
        cannot += f.kind == FeedbackKind.CANNOT_DO
        if f.has_phone:
            with_phone += 1
            visited += f.visited
        if f.settled_on is not None or today > f.due_date:
            due += 1
            on_time += f.settled_on is not None and f.settled_on <= f.due_date
    return {"bad": bad, "cannot_do": cannot, "visited_pct": _pct(visited, with_phone),
            "rectified_on_time_pct": _pct(on_time, due), "open": open_now, "overdue": overdue_now}
