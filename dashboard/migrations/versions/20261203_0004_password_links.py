"""Single-use links to set an account's password (creation and reset): only a hash of the
token is stored.

Revision ID: 0004_password_links
Revises: 0003_national_system
Create Date: 2026-12-03 18:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_password_links'
down_revision = '0003_national_system'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('password_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('password_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_link_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_link_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('password_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_link_user_id'))
        batch_op.drop_index(batch_op.f('ix_password_link_expires_at'))

    op.drop_table('password_link')
