"""window sessions: the stretches each window was open, for staffing advice; backfilled from the event log

Every window.opened / paused / resumed / closed event already in the log (the clerks', the rollover's and
managers') becomes the stretches the new handler would have kept, so advice covers the weeks before this
release too.

Revision ID: 0014
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

import queue_server.db.types
from queue_server.windows.sessions import OPENED, TYPES, WindowEvent, fold

revision = '0014'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'window_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('window', sa.Integer(), nullable=False),
        sa.Column('opened_at', queue_server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('closed_at', queue_server.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_window_session_opened', 'window_session', ['hall', 'opened_at'])
    op.create_index('ix_window_session_window', 'window_session', ['hall', 'window', 'closed_at'])
    backfill(op.get_bind())


def backfill(bind: sa.engine.Connection) -> int:
    """Fill window_session from the window events in the log; return how many stretches it wrote."""
    import json

    event = sa.table('event', sa.column('hall', sa.String()), sa.column('seq', sa.Integer()),
                     sa.column('type', sa.String()), sa.column('window', sa.Integer()),
                     sa.column('at', queue_server.db.types.UTCDateTime()), sa.column('data', sa.Text()))
    rows = bind.execute(sa.select(event.c.hall, event.c.window, event.c.type, event.c.at, event.c.data)
                        .where(event.c.type.in_(TYPES), event.c.window.is_not(None))
                        .order_by(event.c.hall, event.c.seq))
    stretches = fold(WindowEvent(hall, window, kind, json.loads(data).get('status') if kind == OPENED else None, at)
                     for hall, window, kind, at, data in rows)
    table = sa.table('window_session', sa.column('hall', sa.String()), sa.column('window', sa.Integer()),
                     sa.column('opened_at', queue_server.db.types.UTCDateTime()),
                     sa.column('closed_at', queue_server.db.types.UTCDateTime()))
    if stretches:
        bind.execute(table.insert(), [s._asdict() for s in stretches])
    return len(stretches)


def downgrade() -> None:
    op.drop_index('ix_window_session_window', table_name='window_session')
    op.drop_index('ix_window_session_opened', table_name='window_session')
    op.drop_table('window_session')
