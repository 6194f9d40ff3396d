"""ticket day index carries status and wait on PostgreSQL, so range statistics read the index alone

The county statistics over a year (two million tickets over 30 halls) scanned the whole ticket table:
with status and wait_seconds in the (hall, day) index they are an index-only scan (docs/server.md).
SQLite keeps the plain index: it serves one hall, and has no INCLUDE.

Revision ID: 0016
Revises: 0015
"""
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_ticket_day", table_name="ticket")
    op.create_index("ix_ticket_day", "ticket", ["hall", "day"], postgresql_include=["status", "wait_seconds"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_ticket_day", table_name="ticket")
    op.create_index("ix_ticket_day", "ticket", ["hall", "day"])
