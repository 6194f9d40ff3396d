"""cases, working-day overrides and window printers

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

import queue_server.db.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Working-day overrides and window printers live in the hall YAML (hall_state.config_yaml):
# they need no table of their own.


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, queue_server.db.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'case_counter',
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('hall', 'day'),
    )
    op.create_table(
        'case_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('station', sa.String(), nullable=True),
        sa.Column('created_by', sa.String(), nullable=False),
        _when('created_at', nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'cases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('number', sa.String(), nullable=False),
        sa.Column('matter', sa.String(), nullable=False),
        sa.Column('service', sa.String(), nullable=False),
        sa.Column('department', sa.String(), nullable=False),
        sa.Column('mode', sa.String(), nullable=False),
        sa.Column('channel', sa.String(), nullable=False),
        sa.Column('station', sa.String(), nullable=True),
        sa.Column('home_group', sa.String(), nullable=True),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('batch_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(), nullable=False),
        sa.Column('applicant_name', sa.String(), nullable=False),
        sa.Column('applicant_phone', sa.String(), nullable=True),
        sa.Column('applicant_id_number', sa.String(), nullable=True),
        sa.Column('received_materials', sa.Text(), nullable=False),
        sa.Column('note', sa.String(), nullable=True),
        sa.Column('accepted_by', sa.String(), nullable=False),
        _when('accepted_at', nullable=False),
        sa.Column('accepted_on', sa.Date(), nullable=False),
        sa.Column('promised_days', sa.Integer(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('suspended_days', sa.Integer(), nullable=False),
        sa.Column('suspended_from', sa.String(), nullable=True),
        _when('suspended_at'),
        sa.Column('suspended_on', sa.Date(), nullable=True),
        sa.Column('missing', sa.Text(), nullable=False),
        _when('completed_at'),
        sa.Column('completed_on', sa.Date(), nullable=True),
        sa.Column('result', sa.String(), nullable=True),
        sa.Column('result_note', sa.String(), nullable=True),
        sa.Column('delivery', sa.String(), nullable=True),
        _when('delivered_at'),
        sa.Column('on_time', sa.Boolean(), nullable=True),
        sa.Column('token', sa.String(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('hall', 'number', name='uq_case_number'),
    )
    op.create_index('ix_case_accepted', 'cases', ['hall', 'accepted_on'])
    op.create_index('ix_case_completed', 'cases', ['hall', 'completed_on'])
    op.create_index('ix_case_open', 'cases', ['hall', 'status', 'due_date'])
    op.create_index('ix_cases_token', 'cases', ['token'])
    op.create_table(
        'case_step',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(), nullable=False),
        _when('at', nullable=False),
        sa.Column('by', sa.String(), nullable=False),
        sa.Column('note', sa.String(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_case_step_case_id', 'case_step', ['case_id'])


def downgrade() -> None:
    op.drop_index('ix_case_step_case_id', table_name='case_step')
    op.drop_table('case_step')
    for name in ('ix_cases_token', 'ix_case_open', 'ix_case_completed', 'ix_case_accepted'):
        op.drop_index(name, table_name='cases')
    op.drop_table('cases')
    op.drop_table('case_batch')
    op.drop_table('case_counter')
