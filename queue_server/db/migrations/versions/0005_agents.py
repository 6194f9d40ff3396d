"""agents: a user's village station, agents' daily ticket counts, case Idempotency-Keys

Revision ID: 0005
Revises: 0004
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import queue_server.db.types  # noqa: F401

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('station', sa.String(), nullable=True))
    op.create_table('agent_day',
    sa.Column('hall', sa.String(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('username', sa.String(), nullable=False),
    sa.Column('tickets', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('hall', 'day', 'username')
    )
    op.create_table('case_idempotency',
    sa.Column('hall', sa.String(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('caller', sa.String(), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('body_hash', sa.String(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('hall', 'day', 'caller', 'key')
    )


def downgrade() -> None:
    op.drop_table('case_idempotency')
    op.drop_table('agent_day')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('station')
