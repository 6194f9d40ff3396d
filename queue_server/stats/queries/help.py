"""Calls for a guide over a range of service days, counted from the help request rows."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from queue_server.domain.statistics import nearest_rank, rounded
from queue_server.halls.hall import Hall
from queue_server.help.models import HelpRequest
from queue_server.stats.models import HelpStats


def help_stats(session: Session, hall: Hall, first: date, last: date) -> HelpStats:
    """Count the calls made on days first..last, those acknowledged, and the median time to acknowledge."""
    rows = session.exec(select(HelpRequest.requested_at, HelpRequest.acknowledged_at).where(
        HelpRequest.hall == hall.code, col(HelpRequest.day) >= first, col(HelpRequest.day) <= last)).all()
    waits = sorted((acked - asked).total_seconds() for asked, acked in rows if acked is not None)
    return HelpStats(requested=len(rows), acknowledged=len(waits), ack_p50=rounded(nearest_rank(waits, 50)))
