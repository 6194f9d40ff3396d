"""hardening: disabled users, per-IP phone counts, retired windows

Revision ID: 0003
Revises: 0002
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

import queue_server.db.types  # noqa: F401

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table('mobile_ip_day',
    sa.Column('hall', sa.String(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('ip', sa.String(), nullable=False),
    sa.Column('tickets', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('hall', 'day', 'ip')
    )


def downgrade() -> None:
    op.drop_table('mobile_ip_day')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('disabled')
