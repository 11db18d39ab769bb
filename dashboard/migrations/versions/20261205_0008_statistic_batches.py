"""National figures sent in a reporting file: a statistic entry may belong to a batch.

Revision ID: 0008_statistic_batches
Revises: 0007_reporting_cycle
Create Date: 2026-12-05 17:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_statistic_batches'
down_revision = '0007_reporting_cycle'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('statistic_submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_statistic_submission_batch_id'), ['batch_id'], unique=False)
        batch_op.create_foreign_key('fk_statistic_submission_batch_id', 'import_batch', ['batch_id'], ['id'])
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statistic_rows', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_column('statistic_rows')
    with op.batch_alter_table('statistic_submission', schema=None) as batch_op:
        batch_op.drop_constraint('fk_statistic_submission_batch_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_statistic_submission_batch_id'))
        batch_op.drop_column('batch_id')
