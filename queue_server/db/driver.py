"""Hot statements run on the driver's own cursor: no compilation and no execution context.

Issuing a ticket runs four small statements, and SQLAlchemy's execution context (compiled
cache lookup, parameter processing, result proxy) costs several times what SQLite itself takes
for each. These statements are written once, in SQLite's named style, and sent straight to the
driver of the session's connection. Values still pass through the columns' own bind processors,
so what is stored is exactly what the ORM would store (UTC datetimes, enum values, dates).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlmodel import Session

_NAMED = re.compile(r"(?<![:\w]):(\w+)")


class Driver:
    """The driver connection under a session's transaction, and the dialect it speaks."""

    def __init__(self, session: Session) -> None:
        connection = session.connection()  # joins (or begins) the session's transaction
        self.dialect: Dialect = connection.dialect
        self.dbapi: Any = connection.connection.driver_connection

    def run(self, statement: DriverStatement, params: Mapping[str, Any]) -> list[Any]:
        """Execute a statement with named parameters and return every row it gives back."""
        sql, processors = statement.prepared(self.dialect)
        values = {k: (processors[k](v) if k in processors else v) for k, v in params.items()}
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(sql, values)
            return cursor.fetchall() if cursor.description is not None else []
        finally:
            cursor.close()


class DriverStatement:
    """One statement in SQLite's named style (``:name``), typed by the columns of a table.

    Parameters take the names of the table's columns to get their bind processing. The text
    is rewritten by pattern, so it holds no ``:word`` inside a string literal.
    """

    def __init__(self, sql: str, table: Table | None = None) -> None:
        self.sql = sql
        self._table = table
        self._prepared: dict[str, tuple[str, dict[str, Callable[[Any], Any]]]] = {}

    def prepared(self, dialect: Dialect) -> tuple[str, dict[str, Callable[[Any], Any]]]:
        """Return the SQL in the driver's parameter style and the bind processors by name."""
        found = self._prepared.get(dialect.name)
        if found is None:
            # sqlite3 takes :name as written; psycopg takes %(name)s.
            sql = self.sql if dialect.name == "sqlite" else _NAMED.sub(r"%(\1)s", self.sql)
            processors: dict[str, Callable[[Any], Any]] = {}
            if self._table is not None:
                for column in self._table.columns:
                    process = column.type._cached_bind_processor(dialect)
                    if process is not None:
                        processors[column.name] = process
            found = self._prepared[dialect.name] = (sql, processors)
        return found


def insert_returning_id(table: Table, columns: list[str]) -> DriverStatement:
    """Return an INSERT of the named columns that gives back the new row's id."""
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(f":{c}" for c in columns)
    return DriverStatement(f'INSERT INTO "{table.name}" ({names}) VALUES ({values}) RETURNING id', table)
