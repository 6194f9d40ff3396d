"""feedback loop: feedback items, their history, case evaluations

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

import queue_server.db.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, queue_server.db.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'feedback_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('source', sa.String(), nullable=True),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('window', sa.Integer(), nullable=True),
        sa.Column('clerk', sa.String(), nullable=True),
        sa.Column('grade', sa.Integer(), nullable=True),
        sa.Column('reasons', sa.Text(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('matter', sa.String(), nullable=True),
        sa.Column('phone', sa.String(), nullable=True),
        sa.Column('status', sa.String(), nullable=False),
        _when('opened_at', nullable=False),
        sa.Column('opened_on', sa.Date(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('settled_on', sa.Date(), nullable=True),
        _when('visited_at'),
        _when('closed_at'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_feedback_opened', 'feedback_item', ['hall', 'opened_on'])
    op.create_index('ix_feedback_status', 'feedback_item', ['hall', 'status', 'due_date'])
    op.create_index('ix_feedback_item_ticket_id', 'feedback_item', ['ticket_id'])
    op.create_index('ix_feedback_item_case_id', 'feedback_item', ['case_id'])
    op.create_table(
        'feedback_step',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(), nullable=False),
        _when('at', nullable=False),
        sa.Column('by', sa.String(), nullable=False),
        sa.Column('method', sa.String(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_feedback_step_item_id', 'feedback_step', ['item_id'])
    op.create_table(
        'case_evaluation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hall', sa.String(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('grade', sa.Integer(), nullable=False),
        sa.Column('reasons', sa.Text(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        _when('at', nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id'),
    )


def downgrade() -> None:
    op.drop_table('case_evaluation')
    op.drop_index('ix_feedback_step_item_id', table_name='feedback_step')
    op.drop_table('feedback_step')
    for name in ('ix_feedback_item_case_id', 'ix_feedback_item_ticket_id', 'ix_feedback_status',
                 'ix_feedback_opened'):
        op.drop_index(name, table_name='feedback_item')
    op.drop_table('feedback_item')
