"""appointments: bookings, per-slot counters, per-address daily counts, the ticket's appointment

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

import queue_server.db.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True, primary_key: bool = False) -> sa.Column:
    return sa.Column(name, queue_server.db.types.UTCDateTime(timezone=True), nullable=nullable,
                     primary_key=primary_key)


def upgrade() -> None:
    op.create_table(
        'appointment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('service', sa.String(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        _when('start', nullable=False),
        _when('end', nullable=False),
        sa.Column('code', sa.String(), nullable=False),
        sa.Column('active_code', sa.String(), nullable=True),
        sa.Column('active_phone', sa.String(), nullable=True),
        sa.Column('status', sa.String(), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('phone', sa.String(), nullable=False),
        sa.Column('token', sa.String(), nullable=False),
        _when('created_at', nullable=False),
        _when('closed_at'),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('hall', 'active_code', name='uq_appointment_active_code'),
        sa.UniqueConstraint('hall', 'active_phone', name='uq_appointment_active_phone'),
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index('ix_appointment_day', ['hall', 'day'], unique=False)
        batch_op.create_index('ix_appointment_phone', ['hall', 'phone', 'status'], unique=False)
    op.create_table(
        'appointment_slot',
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('service', sa.String(), nullable=False),
        _when('start', nullable=False),
        sa.Column('booked', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('hall', 'service', 'start'),
    )
    op.create_table(
        'appointment_ip_day',
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('ip', sa.String(), nullable=False),
        sa.Column('bookings', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('hall', 'day', 'ip'),
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appointment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('appointment_bonus', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(_when('appointment_start'))


def downgrade() -> None:
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('appointment_start')
        batch_op.drop_column('appointment_bonus')
        batch_op.drop_column('appointment_id')
    op.drop_table('appointment_ip_day')
    op.drop_table('appointment_slot')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('ix_appointment_phone')
        batch_op.drop_index('ix_appointment_day')
    op.drop_table('appointment')
