"""The data's version: one row, raised by every commit that changes data; caches are keyed
by it.

Revision ID: 0005_data_version
Revises: 0004_password_links
Create Date: 2026-12-04 18:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_data_version'
down_revision = '0004_password_links'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('data_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table('data_version')
