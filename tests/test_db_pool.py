"""Pooled PostgreSQL connections: a dropped one is replaced before a query sees it."""
from sqlalchemy import create_engine, text

from ivr import db


def backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(postgres_database, monkeypatch):
    engine = db.make_engine(postgres_database)
    admin = create_engine(postgres_database, isolation_level="AUTOCOMMIT")
    try:
        first = backend_pid(engine)
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
        assert backend_pid(engine) != first
    finally:
        engine.dispose()
        admin.dispose()


def test_a_connection_checked_in_moments_ago_is_used_without_a_ping(postgres_database, monkeypatch):
    engine = db.make_engine(postgres_database)
    pings = []
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: pings.append(connection) or True)
    try:
        first = backend_pid(engine)
        assert backend_pid(engine) == first
        assert len(pings) == 0
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", -1.0)
        backend_pid(engine)
        assert len(pings) == 1
    finally:
        engine.dispose()
