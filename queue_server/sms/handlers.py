"""What the outbox does when other domains' events happen: each queues its text in the same transaction."""

from __future__ import annotations

from queue_server.appointments.events import AppointmentBooked, AppointmentCancelled
from queue_server.appointments.models import Appointment
from queue_server.cases.events import CaseCompleted
from queue_server.cases.models import Case
from queue_server.db.bus import Emitted
from queue_server.db.uow import UnitOfWork
from queue_server.domain import sms as rules
from queue_server.domain.sms import SmsKind
from queue_server.sms import service
from queue_server.tickets.events import TicketCalled
from queue_server.tickets.models import Ticket


def text_called(uow: UnitOfWork, event: TicketCalled, emitted: Emitted) -> None:
    """Queue the `called` text for a texted ticket (once: a second call after a transfer sends none)."""
    if event.ticket is None or event.window is None:
        return
    ticket = uow.session.get(Ticket, event.ticket.id)  # in the session already: the call just claimed it
    if ticket is None or not ticket.sms or not ticket.phone:
        return
    service.queue(uow, kind=SmsKind.CALLED, subject=str(ticket.id), phone=ticket.phone,
                  params=rules.called_params(ticket.number, event.window), now=emitted.at)


def text_case_ready(uow: UnitOfWork, event: CaseCompleted, emitted: Emitted) -> None:
    """Queue the `case_ready` text when a case is completed for pickup and its applicant gave a phone."""
    if event.pickup_window is None:
        return
    case = uow.session.get(Case, event.case.id)
    if case is None or not case.applicant_phone:
        return
    matter = uow.hall.matters.get(case.matter)
    params = rules.case_ready_params(case.number, matter.name if matter else case.matter, event.pickup_window)
    service.queue(uow, kind=SmsKind.CASE_READY, subject=str(case.id), phone=case.applicant_phone,
                  params=params, now=emitted.at)


def remind_appointment(uow: UnitOfWork, event: AppointmentBooked, emitted: Emitted) -> None:
    """Queue the reminder for 16:00 on the working day before the slot; none once that time has passed."""
    row = uow.session.get(Appointment, event.appointment.id)
    if row is None or not row.phone:
        return
    hall = uow.hall
    due = rules.reminder_due(emitted.at, row.start, hall.calendar, hall.tz)
    if due is None:
        return
    svc = hall.services.get(row.service)
    params = rules.appointment_params(row.code, svc.name if svc else row.service,
                                      rules.start_text(row.start, due.date(), hall.tz))
    service.queue(uow, kind=SmsKind.APPOINTMENT, subject=str(row.id), phone=row.phone, params=params,
                  now=emitted.at, due=due)


def drop_reminder(uow: UnitOfWork, event: AppointmentCancelled, emitted: Emitted) -> None:
    """Drop a cancelled appointment's reminder that has not gone yet."""
    service.drop_queued(uow, kind=SmsKind.APPOINTMENT, subject=str(event.appointment.id), reason="预约已取消")
