"""halls: one deployment for a county; the default hall is marked, and every user has a hall

A database made by a single-hall release becomes the county's default hall: its one hall_state row
is marked default, every ticket, case and event keeps the hall code it already carries, and every
user belongs to that hall, except the first admin ('admin'), who becomes county-wide ('*').

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

import queue_server.db.types

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hall_state') as batch:
        batch.add_column(sa.Column('is_default', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('name', sa.String(), nullable=True))
        batch.add_column(sa.Column('created_at', queue_server.db.types.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE hall_state SET is_default = TRUE WHERE hall = "
               "(SELECT hall FROM hall_state ORDER BY last_seq DESC, hall LIMIT 1)")
    with op.batch_alter_table('staff_user') as batch:
        batch.add_column(sa.Column('hall', sa.String(), nullable=False, server_default=''))
        batch.create_index('ix_staff_user_hall', ['hall'])
    op.execute("UPDATE staff_user SET hall = '*' WHERE username = 'admin'")
    op.execute("UPDATE staff_user SET hall = (SELECT hall FROM hall_state WHERE is_default) "
               "WHERE hall = '' AND EXISTS (SELECT 1 FROM hall_state WHERE is_default)")


def downgrade() -> None:
    with op.batch_alter_table('staff_user') as batch:
        batch.drop_index('ix_staff_user_hall')
        batch.drop_column('hall')
    with op.batch_alter_table('hall_state') as batch:
        batch.drop_column('created_at')
        batch.drop_column('name')
        batch.drop_column('is_default')
