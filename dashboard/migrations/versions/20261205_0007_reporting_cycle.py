"""The reporting cycle: files sent as one batch of submissions, comments on submissions,
the e-mails the notifier sent, and the digest opt-out.

Revision ID: 0007_reporting_cycle
Revises: 0006_api_tokens
Create Date: 2026-12-05 16:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_reporting_cycle'
down_revision = '0006_api_tokens'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('filename', sa.Text(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('measure_rows', sa.Integer(), nullable=False),
    sa.Column('indicator_rows', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.id'], ),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_batch_submitted_by_id'), ['submitted_by_id'], unique=False)

    op.create_table('submission_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_update_id', sa.Integer(), nullable=True),
    sa.Column('indicator_submission_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['indicator_submission_id'], ['indicator_submission.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_update_id'], ['measure_update.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('submission_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_comment_indicator_submission_id'),
                              ['indicator_submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_comment_measure_update_id'),
                              ['measure_update_id'], unique=False)

    op.create_table('notification_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('item', sa.String(length=80), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'kind', 'item', 'due_on', name='uq_notification_sent')
    )
    with op.batch_alter_table('notification_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_sent_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_opt_out', sa.Boolean(), server_default=sa.text('false'),
                                      nullable=False))

    for table in ('measure_update', 'indicator_submission'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_batch_id'), ['batch_id'], unique=False)
            batch_op.create_foreign_key(f'fk_{table}_batch_id', 'import_batch', ['batch_id'], ['id'])


def downgrade() -> None:
    for table in ('indicator_submission', 'measure_update'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_batch_id', type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_batch_id'))
            batch_op.drop_column('batch_id')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('digest_opt_out')
    op.drop_table('notification_sent')
    op.drop_table('submission_comment')
    op.drop_table('import_batch')
