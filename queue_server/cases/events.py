"""Case (办件) events: each step of a case, by number only, never a name, a phone or a note."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from queue_server.core.events import EventBase
from queue_server.domain.model import CaseStatus


class CaseBrief(BaseModel):
    """The number-only view of a case that events carry: never a name, a phone or a note."""

    id: int
    number: str
    status: CaseStatus
    station: str | None = None


class CaseEvent(EventBase):
    """What every case event carries."""

    PUBLIC = EventBase.PUBLIC | {"case"}

    case: CaseBrief


class CaseAccepted(CaseEvent):
    type: Literal["case.accepted"] = "case.accepted"


class CaseProcessing(CaseEvent):
    type: Literal["case.processing"] = "case.processing"


class CaseSuspended(CaseEvent):
    type: Literal["case.suspended"] = "case.suspended"


class CaseResumed(CaseEvent):
    type: Literal["case.resumed"] = "case.resumed"


class CaseCompleted(CaseEvent):
    PUBLIC = CaseEvent.PUBLIC | {"pickup_window"}
    type: Literal["case.completed"] = "case.completed"
    # Where the resident collects it, when it will be picked up at the hall; else null.
    pickup_window: int | None = None


class CaseDelivered(CaseEvent):
    type: Literal["case.delivered"] = "case.delivered"


class CaseWithdrawn(CaseEvent):
    type: Literal["case.withdrawn"] = "case.withdrawn"


class CaseEvaluated(CaseEvent):
    type: Literal["case.evaluated"] = "case.evaluated"
    grade: int  # the log only: never on /ws/hall
