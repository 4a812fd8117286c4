"""Database wiring: the declarative base, column types, engines and request sessions."""
from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from flask import Flask, current_app, g
from sqlalchemy import MetaData, String, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import DateTime, Numeric, TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; constraint names follow one convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every database, SQLite included."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; times are UTC and timezone-aware")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Money(TypeDecorator):
    """An exact Decimal amount: NUMERIC where the database has it, text on SQLite."""

    impl = Numeric(12, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(24))
        return dialect.type_descriptor(Numeric(12, 4))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value)
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(str(value))


def utcnow() -> dt.datetime:
    """The current time, UTC and timezone-aware."""
    return dt.datetime.now(dt.timezone.utc)


def as_utc(moment: dt.datetime | str) -> dt.datetime:
    """A time read back through an SQL expression that lost the column type (an aggregate
    or coalesce() on SQLite: naive, or even text), UTC-aware again."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


#: Seconds to wait for a PostgreSQL connection: a server that is down or unreachable
#: fails the request quickly (the caller hears the apology) instead of holding it.
POSTGRES_CONNECT_TIMEOUT = 3
#: libpq's TCP settings: an open connection whose network stops carrying it (a partition,
#: a host gone) is given up after about 5 s, not after the system's minutes.
NETWORK_TIMEOUTS = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                    "keepalives_count": 2, "tcp_user_timeout": 5000}
#: Connections a process keeps open once it needed them: at least one per gunicorn thread,
#: so that busy threads do not open and close a connection (a server process) per request.
#: The pool opens them only as they are needed.
POOL_SIZE = 16
POOL_OVERFLOW = 8
#: A pooled connection unused for longer than this is tested before it is handed out.
PING_AFTER_IDLE_SECONDS = 1.0


def make_engine(url: str) -> Engine:
    """An engine for the URL: SQLite with foreign keys and a busy timeout, PostgreSQL pooled.

    PostgreSQL connections idle for a while are tested before use (see ping_when_idle), so
    the pool recovers by itself after a server restart, and a connection attempt gives up
    after POSTGRES_CONNECT_TIMEOUT seconds.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    connect_args = dict(NETWORK_TIMEOUTS)
    if url.startswith("postgresql") and "connect_timeout=" not in url:
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT
    engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW,
                           connect_args=connect_args)
    ping_when_idle(engine)
    return engine


def ping_when_idle(engine: Engine) -> None:
    """Test pooled connections before use, but only those that have been idle a while.

    Like `pool_pre_ping`, a connection the server dropped (a restart, an idle timeout) is
    replaced before a request sees it; but a connection checked in moments ago, as under
    load, skips the extra round trip to the server. A dead connection found by its first
    query instead is discarded with the whole pool, as with `pool_pre_ping`.
    """

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection, record):
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        if record is not None:
            record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        idle = time.monotonic() - record.info.get("checked_in_at", 0.0)
        if idle <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("the pooled connection was dropped") from exc


def init_app(app: Flask) -> None:
    """Create the app's engine and session factory; close request sessions on teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db.engine"] = engine
    app.extensions["db.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)


def get_session() -> Session:
    """The session of the current app context, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db.sessionmaker"]()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the app context's session, if one was opened."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["db.engine"]


def new_session() -> Session:
    """A session of its own, for jobs and commands that own their transaction."""
    return current_app.extensions["db.sessionmaker"]()
