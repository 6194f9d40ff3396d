"""The tickets' hot statements, in one place: drawing a number and inserting a ticket.

Issuing runs these on the driver's own cursor (``db/driver.py``), not through the ORM: they are
most of what a ticket costs, and nothing in the transaction reads the new row back. What each
saved is measured in docs/server.md.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import SQLModel

from queue_server.db.driver import Driver, DriverStatement, insert_returning_id
from queue_server.tickets.models import Ticket

_COUNTERS = SQLModel.metadata.tables["counter"]
_NEXT_NUMBER = DriverStatement("UPDATE counter SET last = last + 1 "
                               "WHERE hall = :hall AND day = :day AND category = :category "
                               "RETURNING last", _COUNTERS)
_FIRST_NUMBER = DriverStatement("INSERT INTO counter (hall, day, category, last) "
                                "VALUES (:hall, :day, :category, 1)", _COUNTERS)
_TICKETS = SQLModel.metadata.tables["ticket"]
_TICKET_COLUMNS = [c.name for c in _TICKETS.columns if c.name != "id"]
_INSERT_TICKET = insert_returning_id(_TICKETS, _TICKET_COLUMNS)


def insert_ticket(driver: Driver, ticket: Ticket) -> int:
    """Insert a new ticket row and return its id (the ORM's flush was most of issuing).

    The ticket object stays outside the session: nothing in the transaction loads it again.
    """
    values = {name: getattr(ticket, name) for name in _TICKET_COLUMNS}
    return int(driver.run(_INSERT_TICKET, values)[0][0])


def next_number(driver: Driver, hall: str, day: Any, category: str) -> int:
    """Draw the next number for (hall, day, category) from its counter row."""
    params = {"hall": hall, "day": day, "category": category}
    rows = driver.run(_NEXT_NUMBER, params)
    if rows:
        return int(rows[0][0])
    driver.run(_FIRST_NUMBER, params)
    return 1
