"""Schema upgrades with Alembic, for the CLI and the tests."""
from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for the packaged migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(files("ivr") / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Bring the database's schema up to the revision (default: every head)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database's schema down to the revision."""
    command.downgrade(alembic_config(database_url), revision)


def create_empty_database(admin_url: str, name: str) -> str:
    """Drop the PostgreSQL database `name` if it exists (ending its sessions) and create it
    empty, on the server of `admin_url`; its URL. For tests and benchmarks."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)
