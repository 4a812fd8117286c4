"""Alembic migrations; `hotline db upgrade` runs them."""
