"""What the windows domain keeps from its own events: the stretches each window was open."""

from __future__ import annotations

from sqlmodel import col, select

from queue_server.db.bus import Emitted
from queue_server.db.uow import UnitOfWork
from queue_server.windows.events import WindowClosed, WindowOpened, WindowPaused, WindowResumed
from queue_server.windows.sessions import WindowSession, opens


def track_open_time(uow: UnitOfWork, event: WindowOpened | WindowPaused | WindowResumed | WindowClosed,
                    emitted: Emitted) -> None:
    """Start a window's open stretch when it opens or resumes; end it when it pauses or closes."""
    change = opens(event.type, getattr(event, "status", None))
    if change is None or event.window is None:
        return
    session, hall = uow.session, uow.hall.code
    current = session.exec(select(WindowSession).where(
        WindowSession.hall == hall, WindowSession.window == event.window,
        col(WindowSession.closed_at).is_(None)).order_by(col(WindowSession.id).desc())).first()
    if change and current is None:
        session.add(WindowSession(hall=hall, window=event.window, opened_at=emitted.at))
    elif not change and current is not None:
        current.closed_at = emitted.at
