"""Fixtures: an app per test on SQLite and on PostgreSQL, signed Twilio requests, a server."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, insert, select, text
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from app import create_app
from billing.models import Tariff
from ivr import schema
from ivr.db import Base, utcnow

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL",
                                    "postgresql+psycopg://postgres@127.0.0.1:5432/test")
POSTGRES_TEST_DB = os.environ.get("TEST_POSTGRES_DB", "hotline_test")
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "hotline.sqlite"
    schema.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database migrated to head, with the seeded rows to restore."""
    url = schema.create_empty_database(POSTGRES_ADMIN_URL, POSTGRES_TEST_DB)
    schema.upgrade(url)
    yield url


def seeded_tariffs(engine) -> list[dict]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(select(Tariff.__table__))]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """The database of one test: a fresh SQLite copy, or PostgreSQL emptied and re-seeded."""
    if request.param == "sqlite":
        path = tmp_path / "hotline.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    engine = create_engine(url)
    global _SEED
    if _SEED is None:
        _SEED = seeded_tariffs(engine)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(insert(Tariff.__table__), _SEED)
        connection.execute(text("SELECT setval('tariffs_id_seq', (SELECT max(id) FROM tariffs))"))
    engine.dispose()
    return url


_SEED = None


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SECRET_KEY": "test-secret",
        "REDIS_URL": None,
    })
    app.instance_path = str(tmp_path / "instance")
    yield app
    app.extensions["db.engine"].dispose()


@pytest.fixture
def session(app):
    """A session on the test's database, for arranging and checking rows.

    It holds no app context open, so that each request of the test client has its own.
    """
    with app.extensions["db.sessionmaker"]() as session:
        yield session


class Twilio:
    """Sends requests as Twilio does: form-encoded and signed with the auth token."""

    def __init__(self, client, base_url: str = "http://localhost"):
        self.client = client
        self.base_url = base_url
        self.call_sid = "CA" + "1" * 32
        self.caller = "+4923819738700"

    def sign(self, path: str, params: dict) -> str:
        return RequestValidator(AUTH_TOKEN).compute_signature(self.base_url + path, params)

    def post(self, path: str, headers: dict | None = None, **params):
        """POST a signed webhook request for the current call."""
        data = {"CallSid": self.call_sid, "AccountSid": "AC" + "0" * 32, "From": self.caller,
                "To": "+499001410520", "CallStatus": "in-progress", "Direction": "inbound"}
        data.update({k: v for k, v in params.items() if v is not None})
        data = {k: v for k, v in data.items() if v is not ...}
        headers = {"X-Twilio-Signature": self.sign(path, data), **(headers or {})}
        return self.client.post(path, data=data, headers=headers)

    def twiml(self, path: str, **params) -> ET.Element:
        """POST and parse the TwiML answer, which must be a 200 XML document."""
        response = self.post(path, **params)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "application/xml"
        return ET.fromstring(response.get_data(as_text=True))

    def start(self) -> ET.Element:
        return self.twiml("/twilio/voice")

    def keys(self, state: str, digits: str) -> ET.Element:
        """Answer the Gather of a state with the digits ("" for silence)."""
        return self.twiml(f"/twilio/step?state={state}", Digits=digits)

    def to_menu(self) -> ET.Element:
        self.start()
        return self.keys("greeting", "")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def twilio(client) -> Twilio:
    return Twilio(client)


def served(app) -> Iterator[str]:
    """Serve the app over real HTTP on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def jobs_on_test_redis(app):
    """Put the app's jobs on rq in the test Redis database, flushed before and after;
    yields the queue."""
    from redis import Redis
    from rq import Queue

    from ivr import jobs

    connection = Redis.from_url(REDIS_TEST_URL)
    connection.flushdb()
    app.config["REDIS_URL"] = REDIS_TEST_URL
    jobs.init_app(app)
    yield Queue(jobs.QUEUE_NAME, connection=connection)
    connection.flushdb()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app served over real HTTP on a free loopback port."""
    yield from served(app)


@pytest.fixture
def rq_queue(app):
    """The app's jobs go to rq on the test Redis database, flushed before and after."""
    yield from jobs_on_test_redis(app)


@pytest.fixture
def twilio_api(app):
    """A local stand-in for Twilio's REST API; the app's REST client points at it."""
    from tests.fake_twilio_api import TwilioApi

    api = TwilioApi()
    server, thread = api.serve()
    app.config["TWILIO_API_BASE_URL"] = api.base_url
    yield api
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback; the app sends its mail there. Yields its mailbox."""
    from tests.smtp_sink import start_smtp

    controller, mailbox, url = start_smtp()
    app.config["SMTP_URL"] = url
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp_url():
    """A real SMTP server on loopback for a process of its own: (SMTP_URL, mailbox)."""
    from tests.smtp_sink import start_smtp

    controller, mailbox, url = start_smtp()
    yield url, mailbox
    controller.stop()


@pytest.fixture
def redis_app(app, rq_queue):
    """The app with its jobs on rq in the test Redis database (see rq_queue)."""
    return app


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (Playwright's own download is not used), one
    for the whole run: a second sync Playwright cannot start while the first is running."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


STAFF_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def staff_password_hash() -> str:
    """The hash of STAFF_PASSWORD, made once: argon2 is slow on purpose."""
    from ivr.passwords import hash_staff_password

    return hash_staff_password(STAFF_PASSWORD)


@pytest.fixture
def make_staff(session, staff_password_hash):
    """Create a staff account: make_staff("anna", role="agent", status="available")."""
    from ivr.models import Staff

    def make(username: str, role: str = "agent", phone: str | None = "+4923811230001",
             status: str | None = None, idle_minutes: float = 0):
        member = Staff(username=username, role=role, phone=phone, password_hash=staff_password_hash,
                       status=status or "offline",
                       status_since=utcnow() - dt.timedelta(minutes=idle_minutes))
        session.add(member)
        session.commit()
        return member

    return make


@pytest.fixture
def waiting_call(session):
    """A caller waiting in the queue for some minutes: waiting_call("CA1", minutes=3)."""
    from ivr.models import Call

    def make(call_sid: str, minutes: float = 1, intent: str = "support",
             caller: str = "+4923819738700", **columns):
        call = Call(call_sid=call_sid, caller=caller, state="queue", intent=intent,
                    enqueued_at=utcnow() - dt.timedelta(minutes=minutes),
                    queue_free_announced_at=utcnow() - dt.timedelta(minutes=minutes), **columns)
        session.add(call)
        session.commit()
        return call

    return make


class Console:
    """A browser-less console user: logs in and sends forms and JSON with the CSRF token."""

    def __init__(self, client):
        self.client = client

    def token(self) -> str:
        with self.client.session_transaction() as cookie_session:
            if "csrf" not in cookie_session:
                cookie_session["csrf"] = "t" * 43
            return cookie_session["csrf"]

    def login(self, username: str, password: str = STAFF_PASSWORD):
        self.client.get("/console/login")
        return self.client.post("/console/login", data={
            "username": username, "password": password, "csrf_token": self.token()})

    def form(self, path: str, **fields):
        return self.client.post(path, data={"csrf_token": self.token(), **fields})

    def json(self, path: str, data: dict | None = None):
        return self.client.post(path, json=data or {}, headers={"X-CSRF-Token": self.token()})


@pytest.fixture
def console(client) -> Console:
    return Console(client)
