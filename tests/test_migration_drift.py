"""The migrations and the models describe the same schema, on the backend under test
(SQLite, or PostgreSQL when DASHBOARD_TEST_DATABASE_URL is set): a model changed without
its migration, or the reverse, fails here rather than on a production database."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from dashboard.db import upgrade
from dashboard.models import Base


def test_a_blank_database_upgraded_to_head_matches_the_models(databases, engine_for):
    url = databases.new()
    try:
        upgrade(url)
        with engine_for(url).connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                   "compare_server_default": False})
            differences = compare_metadata(context, Base.metadata)
    finally:
        databases.drop(url)
    assert differences == []
