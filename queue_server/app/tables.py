"""Import every table module so that SQLModel.metadata knows them all."""

from queue_server.appointments.models import Appointment, AppointmentIpDay, AppointmentSlot
from queue_server.auth.models import AuthEpoch, AuthSession, Device, User
from queue_server.cases.models import Case, CaseBatch, CaseCounter, CaseKey, CaseStep
from queue_server.county.models import CountyCalendarYear, CountyState
from queue_server.db.eventlog import Event, HallState
from queue_server.feedback.models import CaseEvaluation, FeedbackItem, FeedbackStep
from queue_server.halls.models import ServiceStat
from queue_server.help.models import HelpRequest
from queue_server.printing.models import PrintAgentLink, PrintJob
from queue_server.sms.models import SmsMessage
from queue_server.stations.models import AgentDay
from queue_server.tickets.models import (
    Counter,
    Evaluation,
    IdempotencyKey,
    MobileIpDay,
    Ticket,
)
from queue_server.windows.models import WindowState
from queue_server.windows.sessions import WindowSession

__all__ = [
    "AgentDay",
    "Appointment",
    "AppointmentIpDay",
    "AppointmentSlot",
    "AuthEpoch",
    "AuthSession",
    "Case",
    "CaseBatch",
    "CaseCounter",
    "CaseEvaluation",
    "CaseKey",
    "CaseStep",
    "Counter",
    "CountyCalendarYear",
    "CountyState",
    "Device",
    "Evaluation",
    "Event",
    "FeedbackItem",
    "FeedbackStep",
    "HallState",
    "HelpRequest",
    "IdempotencyKey",
    "MobileIpDay",
    "PrintAgentLink",
    "PrintJob",
    "ServiceStat",
    "SmsMessage",
    "Ticket",
    "User",
    "WindowSession",
    "WindowState",
]
