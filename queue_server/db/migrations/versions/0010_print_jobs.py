"""print jobs: window documents relayed to a hall's print agent, and which agent holds each printer

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

import queue_server.db.types

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'print_job',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('printer', sa.String(), nullable=False),
        sa.Column('window', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('status', sa.String(), nullable=False),
        sa.Column('requested_by', sa.String(), nullable=False),
        sa.Column('link', sa.String(), nullable=True),
        sa.Column('sent_by', sa.String(), nullable=True),
        sa.Column('printer_status', sa.String(), nullable=True),
        sa.Column('message', sa.String(), nullable=True),
        sa.Column('created_at', queue_server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', queue_server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('answered_at', queue_server.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_print_job_hall_printer_status', 'print_job', ['hall', 'printer', 'status'])
    op.create_index('ix_print_job_created_at', 'print_job', ['created_at'])
    op.create_table(
        'print_agent',
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('printer', sa.String(), nullable=False),
        sa.Column('link', sa.String(), nullable=False),
        sa.Column('instance', sa.String(), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('worker', sa.String(), nullable=False),
        sa.Column('connected_at', queue_server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('seen_at', queue_server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('hall', 'printer'),
    )
    op.create_index('ix_print_agent_link', 'print_agent', ['link'])
    op.create_index('ix_print_agent_worker', 'print_agent', ['worker'])


def downgrade() -> None:
    op.drop_index('ix_print_agent_worker', table_name='print_agent')
    op.drop_index('ix_print_agent_link', table_name='print_agent')
    op.drop_table('print_agent')
    op.drop_index('ix_print_job_created_at', table_name='print_job')
    op.drop_index('ix_print_job_hall_printer_status', table_name='print_job')
    op.drop_table('print_job')
