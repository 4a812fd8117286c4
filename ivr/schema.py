"""Schema upgrades with Alembic, for the CLI and the tests."""
from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config


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
