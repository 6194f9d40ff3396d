"""Feedback (好差评整改) events: ids and status on the public stream, the kind for staff."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from queue_server.core.events import EventBase
from queue_server.domain.model import FeedbackKind, FeedbackStatus


class FeedbackBrief(BaseModel):
    """The id-and-status view of a feedback item that events carry: no phone, text or grade."""

    id: int
    status: FeedbackStatus


class FeedbackEvent(EventBase):
    """What every feedback (好差评整改) event carries; the public stream sees only ids and status."""

    PUBLIC = frozenset({"type", "seq", "at", "feedback"})

    feedback: FeedbackBrief
    kind: FeedbackKind | None = None  # the log and staff only
    case_id: int | None = None  # the log and staff only


class FeedbackOpened(FeedbackEvent):
    type: Literal["feedback.opened"] = "feedback.opened"


class FeedbackVisited(FeedbackEvent):
    type: Literal["feedback.visited"] = "feedback.visited"


class FeedbackRectified(FeedbackEvent):
    type: Literal["feedback.rectified"] = "feedback.rectified"


class FeedbackClosed(FeedbackEvent):
    type: Literal["feedback.closed"] = "feedback.closed"


class FeedbackPhoneRevealed(FeedbackEvent):
    """A manager saw a resident's full phone number: the audit trail names who and when."""

    type: Literal["feedback.phone_revealed"] = "feedback.phone_revealed"
