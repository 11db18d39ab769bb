"""Sources, citations and notes in the three languages.

Each row that cites a source gets ``source_ar``, ``source_fr`` and ``source_en`` in place of
one English ``source``; a statistic's source gets its title and short citation in the three
languages, and a figure its note. What was stored becomes the English text; loading the data
files fills the other two.

Revision ID: 0010_translated_sources
Revises: 0009_account_language
Create Date: 2026-12-06 02:50:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0010_translated_sources'
down_revision = '0009_account_language'
branch_labels = None
depends_on = None

SOURCED_TABLES = ('entity', 'rollout_event', 'regional_body', 'activity', 'programme',
                  'exchange_rate', 'organisation')
LANGS = ('ar', 'fr', 'en')


def _split(table: str, column: str, drop: bool = True) -> None:
    """``column`` becomes ``column_ar/_fr/_en``; the stored text goes to ``_en``."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for lang in LANGS:
            batch_op.add_column(sa.Column(f'{column}_{lang}', sa.Text(), nullable=False,
                                          server_default=''))
    op.execute(f'UPDATE {table} SET {column}_en = {column}')
    if drop:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)


def _join(table: str, column: str, add: bool = True) -> None:
    if add:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Text(), nullable=False, server_default=''))
    op.execute(f"UPDATE {table} SET {column} = COALESCE(NULLIF({column}_en, ''), {column}_fr)")
    with op.batch_alter_table(table, schema=None) as batch_op:
        for lang in LANGS:
            batch_op.drop_column(f'{column}_{lang}')


def upgrade() -> None:
    for table in SOURCED_TABLES:
        _split(table, 'source')
    _split('statistic_source', 'document', drop=False)
    _split('statistic_source', 'citation')
    _split('statistic', 'note')


def downgrade() -> None:
    _join('statistic', 'note')
    _join('statistic_source', 'citation')
    _join('statistic_source', 'document', add=False)
    for table in reversed(SOURCED_TABLES):
        _join(table, 'source')
