"""Retention: what the hall forgets, and when; run by the rollover once a service day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col

from queue_server.auth.models import AuthSession
from queue_server.cases.models import CaseKey
from queue_server.domain.model import FeedbackStatus
from queue_server.feedback.models import CaseEvaluation, FeedbackItem
from queue_server.halls.hall import Hall
from queue_server.sms.models import SmsMessage
from queue_server.stations.models import AgentDay
from queue_server.tickets.models import Evaluation, IdempotencyKey, MobileIpDay, Ticket


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def prune(session: Session, hall: Hall, today: date, now: datetime) -> dict[str, int]:
    """Delete expired sessions, old idempotency rows and daily counts; erase old device ids, comments, card holders."""
    settings = hall.config.settings
    device_from = today - timedelta(days=settings.device_retention_days)
    comment_from = now - timedelta(days=settings.comment_retention_days)
    done = {
        "sessions": session.execute(
            delete(AuthSession).where(col(AuthSession.expires_at) < now)),
        # Idempotency-Keys are kept for the service day (API.md); yesterday's can go.
        "idempotency": session.execute(delete(IdempotencyKey).where(
            col(IdempotencyKey.hall) == hall.code,
            col(IdempotencyKey.day) < today - timedelta(days=settings.idempotency_retention_days))),
        "case_keys": session.execute(delete(CaseKey).where(
            col(CaseKey.hall) == hall.code,
            col(CaseKey.day) < today - timedelta(days=settings.idempotency_retention_days))),
        "device_ids": session.execute(update(Ticket).where(
            col(Ticket.hall) == hall.code, col(Ticket.day) < device_from,
            col(Ticket.device_cookie).is_not(None)).values(device_cookie=None)),
        "ip_counts": session.execute(delete(MobileIpDay).where(
            col(MobileIpDay.hall) == hall.code, col(MobileIpDay.day) < device_from)),
        # Agents' daily ticket counts serve only the day's limit; kept as long as the per-IP counts.
        "agent_days": session.execute(delete(AgentDay).where(
            col(AgentDay.hall) == hall.code, col(AgentDay.day) < device_from)),
        "comments": session.execute(update(Evaluation).where(
            col(Evaluation.hall) == hall.code, col(Evaluation.at) < comment_from,
            col(Evaluation.comment).is_not(None)).values(comment=None)),
        **_feedback(session, hall, today, comment_from),
        # A card holder's name and ID number go with the ticket's phone number, on the same period.
        "ticket_identities": session.execute(update(Ticket).where(
            col(Ticket.hall) == hall.code,
            col(Ticket.day) < today - timedelta(days=settings.phone_retention_days),
            col(Ticket.applicant_sealed).is_not(None)).values(applicant_sealed=None)),
        # Texts keep their kind, params and outcome for the figures; the number goes with the tickets'.
        # (Params name a ticket, case or appointment by its number and code, never a person.)
        "sms_phones": session.execute(update(SmsMessage).where(
            col(SmsMessage.hall) == hall.code,
            col(SmsMessage.created_at) < now - timedelta(days=settings.phone_retention_days),
            col(SmsMessage.phone).is_not(None)).values(phone=None)),
    }
    return {name: _count(result) for name, result in done.items()}


def _feedback(session: Session, hall: Hall, today: date, comment_from: datetime) -> dict[str, object]:
    """Erase closed feedback items' phones after the phone retention; old texts after theirs."""
    phones_from = today - timedelta(days=hall.config.settings.phone_retention_days)
    return {
        # An open item keeps its phone: a manager still has to call the resident back.
        "feedback_phones": session.execute(update(FeedbackItem).where(
            col(FeedbackItem.hall) == hall.code, col(FeedbackItem.status) == FeedbackStatus.CLOSED,
            col(FeedbackItem.opened_on) < phones_from,
            col(FeedbackItem.phone).is_not(None)).values(phone=None)),
        "feedback_comments": session.execute(update(FeedbackItem).where(
            col(FeedbackItem.hall) == hall.code, col(FeedbackItem.status) == FeedbackStatus.CLOSED,
            col(FeedbackItem.opened_at) < comment_from,
            col(FeedbackItem.comment).is_not(None)).values(comment=None)),
        "case_comments": session.execute(update(CaseEvaluation).where(
            col(CaseEvaluation.hall) == hall.code, col(CaseEvaluation.at) < comment_from,
            col(CaseEvaluation.comment).is_not(None)).values(comment=None)),
    }
