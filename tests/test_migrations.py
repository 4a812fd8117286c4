"""Alembic owns the schema: empty to head, back down, and in step with the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

import billing.models  # noqa: F401
import ivr.models  # noqa: F401
from ivr import schema
from ivr.db import Base, make_engine
from tests.conftest import POSTGRES_ADMIN_URL, POSTGRES_TEST_DB

MIGRATIONS_DB = POSTGRES_TEST_DB + "_migrations"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.sqlite"
        return
    yield schema.create_empty_database(POSTGRES_ADMIN_URL, MIGRATIONS_DB)
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {MIGRATIONS_DB} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_from_empty_to_head_matches_the_models_and_downgrades(empty_database):
    schema.upgrade(empty_database)
    engine = make_engine(empty_database)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        tariffs = connection.execute(text("SELECT name FROM tariffs ORDER BY name")).scalars().all()
        assert tariffs == ["support-page-fixed", "support-page-mobile"]
    schema.downgrade(empty_database, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    schema.upgrade(empty_database)
    assert "calls" in inspect(engine).get_table_names()
    engine.dispose()
