"""auth epoch: one counter raised by every revocation, so cached logins can be checked cheaply

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('auth_epoch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.bulk_insert(table, [{'id': 1, 'value': 0}])


def downgrade() -> None:
    op.drop_table('auth_epoch')
