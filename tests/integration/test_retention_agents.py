"""Village agents' rows are pruned at the rollover: case Idempotency-Keys and daily ticket counts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from queue_server.cases.models import CaseKey
from queue_server.db.uow import UnitOfWork
from queue_server.jobs.retention import prune
from queue_server.stations.models import AgentDay
from tests.support.inprocess import NOON, database


def test_case_keys_go_after_the_idempotency_retention_and_agent_counts_after_the_device_one(
        tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        hall = db.hall
        settings = hall.config.settings
        today = NOON.date()
        key_days = settings.idempotency_retention_days
        count_days = settings.device_retention_days

        def seed(uow: UnitOfWork) -> None:
            for back in (0, key_days, key_days + 1, key_days + 5):
                uow.session.add(CaseKey(hall=hall.code, day=today - timedelta(days=back), caller="user:agent1",
                                        key=f"k{back}", body_hash="h", case_id=1))
            for back in (0, count_days, count_days + 1):
                uow.session.add(AgentDay(hall=hall.code, day=today - timedelta(days=back), username="agent1",
                                         tickets=3))
            # Another hall's rows are not this hall's to prune.
            uow.session.add(CaseKey(hall="other", day=today - timedelta(days=99), caller="user:x", key="k",
                                    body_hash="h", case_id=2))
            uow.session.add(AgentDay(hall="other", day=today - timedelta(days=99), username="x", tickets=1))

        db.run_write(seed)
        done, _ = db.run_write(lambda uow: prune(uow.session, hall, today, NOON))
        assert (done["case_keys"], done["agent_days"]) == (2, 1)

        def left(s: Session) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
            keys = [(k.hall, (today - k.day).days) for k in s.exec(select(CaseKey))]
            days = [(a.hall, (today - a.day).days) for a in s.exec(select(AgentDay))]
            return sorted(keys), sorted(days)

        keys, days = db.run_read(left)
        assert keys == sorted([(hall.code, 0), (hall.code, key_days), ("other", 99)])
        assert days == sorted([(hall.code, 0), (hall.code, count_days), ("other", 99)])
        again, _ = db.run_write(lambda uow: prune(uow.session, hall, today, NOON))
        assert again["case_keys"] == again["agent_days"] == 0
