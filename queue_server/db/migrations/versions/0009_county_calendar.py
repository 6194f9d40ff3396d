"""county calendar: years the calendar package does not know yet, entered by a county admin

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

import queue_server.db.types

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'county_calendar',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('holidays', sa.Text(), nullable=False),
        sa.Column('workdays', sa.Text(), nullable=False),
        sa.Column('updated_at', queue_server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(), nullable=False),
        sa.PrimaryKeyConstraint('year'),
    )
    state = op.create_table(
        'county_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('calendar_version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.bulk_insert(state, [{'id': 1, 'calendar_version': 0}])


def downgrade() -> None:
    op.drop_table('county_state')
    op.drop_table('county_calendar')
