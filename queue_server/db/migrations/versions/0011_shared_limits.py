"""shared limits: rate counters and socket places that every server process of the county counts

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'rate_counter',
        sa.Column('key', sa.String(), nullable=False),
        sa.Column('window', sa.BigInteger(), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', 'window'),
    )
    op.create_table(
        'socket_count',
        sa.Column('worker', sa.String(), nullable=False),
        sa.Column('scope', sa.String(), nullable=False),
        sa.Column('ip', sa.String(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('worker', 'scope', 'ip'),
    )
    op.create_index('ix_socket_count_scope', 'socket_count', ['scope', 'seen_at'])


def downgrade() -> None:
    op.drop_index('ix_socket_count_scope', table_name='socket_count')
    op.drop_table('socket_count')
    op.drop_table('rate_counter')
