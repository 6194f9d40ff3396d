"""What the rollover forgets, and when: phones, words, sessions, keys, agents' daily counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from queue_server.cases.models import CaseKey
from queue_server.db.engine import write_session
from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import FeedbackKind, FeedbackStatus
from queue_server.feedback.models import CaseEvaluation, FeedbackItem
from queue_server.jobs.retention import prune
from queue_server.jobs.rollover import forget_phones
from queue_server.stations.models import AgentDay
from queue_server.tickets.models import Ticket
from tests.support.inprocess import NOON, database
from tests.support.live import Api, LiveServer
from tests.support.phones import phone_cookie, phone_ticket


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


def test_phone_numbers_are_erased_after_the_retention_period(live: LiveServer) -> None:
    rt = live.runtime
    today = rt.hall.day(rt.clock())
    keep = rt.hall.config.settings.phone_retention_days
    now = datetime.now(UTC)
    with write_session(rt.engine) as session:
        for i, age in enumerate([keep + 1, keep, 0]):
            session.add(Ticket(hall=rt.hall.code, day=today - timedelta(days=age), number=f"A9{i:02d}",
                               number_category="A", category="A", service="pension-insurance",
                               channel="mobile", status="done", token=f"t{i}", phone=f"1380000000{i}",
                               issued_at=now, rank_at=now))
    with write_session(rt.engine) as session:
        assert forget_phones(session, rt.hall, today) == 1
    with write_session(rt.engine) as session:
        phones = {t.number: t.phone for t in session.query(Ticket).all()}
    assert phones == {"A900": None, "A901": "13800000001", "A902": "13800000002"}


def test_old_sessions_keys_device_ids_and_comments_are_pruned_at_the_rollover(
        live: LiveServer, api: Api) -> None:
    from sqlmodel import Session, func, select

    from queue_server.auth.models import AuthSession
    from queue_server.tickets.models import Evaluation, IdempotencyKey, Ticket

    admin = api.admin()
    t = phone_ticket(live, "invoice", key="k1", cookie=phone_cookie(live)).json()
    api.http.post("/api/windows/14/open", headers=admin)
    api.http.post("/api/windows/14/call-next", headers=admin)
    api.http.post("/api/windows/14/finish", headers=admin)
    api.http.post(f"/api/tickets/{t['id']}/evaluation",
                  json={"token": t["token"], "grade": 2, "comment": "办事员 138 很凶"})
    rt = live.runtime
    real = rt.clock
    rt.clock = lambda: real() + timedelta(days=400)
    try:
        from queue_server.jobs.rollover import rollover
        rt.db.run_write(lambda uow: rollover(uow, rt.clock()))
    finally:
        rt.clock = real
    with Session(rt.engine) as s:
        assert s.exec(select(func.count()).select_from(AuthSession)).one() == 0
        assert s.exec(select(func.count()).select_from(IdempotencyKey)).one() == 0
        ticket = s.get(Ticket, t["id"])
        assert ticket is not None and ticket.device_cookie is None
        assert s.exec(select(Evaluation.comment)).all() == [None]


def test_texts_lose_their_phone_after_the_phone_retention_and_keep_their_outcome(
        tmp_path: Path, any_db: str) -> None:
    from queue_server.domain.sms import SmsKind, SmsStatus
    from queue_server.sms.models import SmsMessage

    with database(tmp_path, any_db) as db:
        hall = db.hall
        days = hall.config.settings.phone_retention_days

        def seed(uow: UnitOfWork) -> None:
            for n, back in enumerate((0, days - 1, days + 1)):
                uow.session.add(SmsMessage(
                    id=f"m{n}", hall=hall.code, kind=SmsKind.CALLED, subject=str(n), phone="13812341234",
                    template="t", params='{"number": "A001", "window": "3"}', status=SmsStatus.SENT, attempts=1,
                    created_at=NOON - timedelta(days=back)))
            uow.session.add(SmsMessage(id="other", hall="other", kind=SmsKind.CALLED, subject="9", phone="13812341234",
                                       template="t", params="{}", status=SmsStatus.SENT,
                                       created_at=NOON - timedelta(days=days + 9)))

        db.run_write(seed)
        done, _ = db.run_write(lambda uow: prune(uow.session, hall, NOON.date(), NOON))
        assert done["sms_phones"] == 1
        rows = db.run_read(lambda s: {m.id: (m.phone, m.status, m.params) for m in s.exec(select(SmsMessage))})
        assert rows["m2"] == (None, SmsStatus.SENT, '{"number": "A001", "window": "3"}')
        assert rows["m0"][0] == rows["m1"][0] == rows["other"][0] == "13812341234"
