"""An account's language: the one it last logged in with, for its e-mails.

Revision ID: 0009_account_language
Revises: 0008_statistic_batches
Create Date: 2026-12-05 17:15:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_account_language'
down_revision = '0008_statistic_batches'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lang', sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('lang')
