"""help requests (呼叫导办员); the card holder sealed on a ticket; an appointment's keyed ID-number hash

Revision ID: 0012
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

import queue_server.db.types

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, queue_server.db.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'help_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kiosk', sa.Integer(), nullable=False),
        sa.Column('kiosk_name', sa.String(), nullable=False),
        sa.Column('reason', sa.String(), nullable=True),
        sa.Column('status', sa.String(), nullable=False),
        sa.Column('open_kiosk', sa.Integer(), nullable=True),
        _when('requested_at', nullable=False),
        _when('acknowledged_at'),
        sa.Column('acknowledged_by', sa.String(), nullable=True),
        _when('resolved_at'),
        sa.Column('resolved_by', sa.String(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('hall', 'open_kiosk', name='uq_help_open_kiosk'),
    )
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.create_index('ix_help_status', ['hall', 'status'], unique=False)
        batch_op.create_index('ix_help_day', ['hall', 'day'], unique=False)
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_sealed', sa.Text(), nullable=True))
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_digest', sa.String(), nullable=True))
        batch_op.create_index('ix_appointment_id_digest', ['hall', 'id_digest'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index('ix_appointment_id_digest')
        batch_op.drop_column('id_digest')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_column('applicant_sealed')
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_index('ix_help_day')
        batch_op.drop_index('ix_help_status')
    op.drop_table('help_request')
