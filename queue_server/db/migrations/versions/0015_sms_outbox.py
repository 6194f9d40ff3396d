"""sms outbox: one row per text (unique per hall, kind and subject), and whether a ticket is texted

Tickets already issued at a kiosk or counter with a phone are texted from now on, as new ones are;
phone tickets never asked, so they are not.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

import queue_server.db.types

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, queue_server.db.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'sms_message',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('subject', sa.String(), nullable=False),
        sa.Column('phone', sa.String(), nullable=True),
        sa.Column('template', sa.String(), nullable=False),
        sa.Column('params', sa.Text(), nullable=False),
        sa.Column('status', sa.String(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        _when('created_at', nullable=False),
        _when('due_at'),
        _when('next_at'),
        _when('first_try_at'),
        _when('sent_at'),
        sa.Column('reason', sa.String(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('hall', 'kind', 'subject', name='uq_sms_subject'),
    )
    op.create_index('ix_sms_due', 'sms_message', ['status', 'next_at'])
    op.create_index('ix_sms_created', 'sms_message', ['hall', 'created_at'])
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sms', sa.Boolean(), server_default=sa.false(), nullable=False))
    ticket = sa.table('ticket', sa.column('sms', sa.Boolean()), sa.column('phone', sa.String()),
                      sa.column('channel', sa.String()))
    op.get_bind().execute(ticket.update().where(ticket.c.phone.is_not(None), ticket.c.channel != 'mobile')
                          .values(sms=True))


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('sms')
    op.drop_index('ix_sms_created', table_name='sms_message')
    op.drop_index('ix_sms_due', table_name='sms_message')
    op.drop_table('sms_message')
