"""Feedback items forget the resident's phone and words after the retention periods, once closed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import FeedbackKind, FeedbackStatus
from queue_server.feedback.models import CaseEvaluation, FeedbackItem
from queue_server.jobs.retention import prune
from tests.support.inprocess import NOON, database


def _item(hall: str, status: FeedbackStatus, days_ago: int) -> FeedbackItem:
    at = NOON - timedelta(days=days_ago)
    return FeedbackItem(hall=hall, kind=FeedbackKind.CANNOT_DO, comment="材料说不清", phone="13800001234",
                        status=status, opened_at=at, opened_on=at.date(), due_date=at.date())


def test_closed_items_lose_phone_and_words_after_retention_and_open_ones_keep_the_phone(
        tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        hall = db.hall
        settings = hall.config.settings
        old = settings.phone_retention_days + 1
        ancient = settings.comment_retention_days + 1

        def seed(uow: UnitOfWork) -> None:
            for status, days in [(FeedbackStatus.CLOSED, old), (FeedbackStatus.OPEN, ancient),
                                 (FeedbackStatus.CLOSED, 2), (FeedbackStatus.CLOSED, ancient)]:
                uow.session.add(_item(hall.code, status, days))
            uow.session.add(CaseEvaluation(hall=hall.code, case_id=1, grade=2, comment="太慢",
                                           at=NOON - timedelta(days=ancient)))

        db.run_write(seed)
        done, _ = db.run_write(lambda uow: prune(uow.session, hall, NOON.date(), NOON))
        assert (done["feedback_phones"], done["feedback_comments"], done["case_comments"]) == (2, 1, 1)
        rows = db.run_read(lambda s: [(r.status, r.phone, r.comment) for r in
                                      s.query(FeedbackItem).order_by(FeedbackItem.id).all()])
        assert rows == [
            (FeedbackStatus.CLOSED, None, "材料说不清"),  # phone gone, words kept a while longer
            (FeedbackStatus.OPEN, "13800001234", "材料说不清"),  # still to be called back
            (FeedbackStatus.CLOSED, "13800001234", "材料说不清"),  # recent
            (FeedbackStatus.CLOSED, None, None),
        ]
        again, _ = db.run_write(lambda uow: prune(uow.session, hall, NOON.date(), NOON))
        assert again["feedback_phones"] == again["feedback_comments"] == again["case_comments"] == 0
