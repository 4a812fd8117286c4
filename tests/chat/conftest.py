"""Fixtures for the chat: customers who enter with signed tokens, support in the console,
and reading event streams."""
from __future__ import annotations

import dataclasses
import json
import threading
from typing import Optional

import pytest

from ivr.chat.tokens import make_entry_token
from tests.conftest import Console

CHAT_SECRET = "test-chat-shared-secret-0123456789"


@pytest.fixture(autouse=True)
def chat_config(app):
    """The shared secret, and streams that end after their backlog unless a test says
    otherwise."""
    app.config.update(CHAT_SHARED_SECRET=CHAT_SECRET, CHAT_STREAM_SECONDS=0, CHAT_POLL_SECONDS=0.05)
    return app.config


@dataclasses.dataclass
class Event:
    """One server-sent event."""

    name: str
    data: dict
    id: Optional[int]


def parse_events(text: str) -> list[Event]:
    """The events of a text/event-stream body (comments and retry lines dropped)."""
    events = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if line and not line.startswith(":"):
                key, _, value = line.partition(": ")
                fields[key] = value
        if "data" in fields:
            events.append(Event(fields.get("event", "message"), json.loads(fields["data"]),
                                int(fields["id"]) if "id" in fields else None))
    return events


def messages_of(events: list[Event]) -> list[dict]:
    return [event.data for event in events if event.name == "message"]


class ChatCustomer:
    """A customer's browser without a browser: enters with a token, posts, reads the stream."""

    def __init__(self, client, number: str, name: str):
        self.client = client
        self.number = number
        self.name = name

    def enter(self, token: Optional[str] = None):
        """Open the entry page as a customer-account link does, and post the token as it does."""
        token = token if token is not None else make_entry_token(CHAT_SECRET, self.number, self.name)
        assert self.client.get("/chat/enter").status_code == 200
        return self.client.post("/chat/enter", data={"token": token, "csrf_token": self.csrf()})

    def csrf(self) -> str:
        with self.client.session_transaction() as cookie_session:
            return cookie_session.get("csrf", "")

    def post_raw(self, payload):
        return self.client.post("/chat/messages", json=payload, headers={"X-CSRF-Token": self.csrf()})

    def say(self, body: str, to_support: bool = False) -> dict:
        response = self.post_raw({"body": body, "to_support": to_support})
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    def stream(self, last_event_id: Optional[int] = None) -> list[Event]:
        headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
        response = self.client.get("/chat/stream", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "text/event-stream"
        return parse_events(response.get_data(as_text=True))

    def bodies(self, last_event_id: Optional[int] = None) -> list[str]:
        return [message["body"] for message in messages_of(self.stream(last_event_id))]


@pytest.fixture
def customer(app):
    """A customer who has entered the chat: customer("10001", "Erika Mustermann")."""

    def make(number: str, name: str) -> ChatCustomer:
        someone = ChatCustomer(app.test_client(), number, name)
        assert someone.enter().status_code == 302
        return someone

    return make


class Support(Console):
    """A staff member in the console's chat."""

    def available(self, on: bool = True):
        response = self.json("/console/chat/presence", {"available": on})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def say(self, body: str, reply_to: Optional[int] = None, private: bool = False):
        return self.json("/console/chat/messages", {"body": body, "reply_to": reply_to, "private": private})

    def stream(self, last_event_id: Optional[int] = None) -> list[Event]:
        headers = {} if last_event_id is None else {"Last-Event-ID": str(last_event_id)}
        response = self.client.get("/console/chat/stream", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return parse_events(response.get_data(as_text=True))


@pytest.fixture
def support(app, make_staff) -> Support:
    """Agent anna, logged in to the console, available for chat."""
    make_staff("anna")
    anna = Support(app.test_client())
    anna.login("anna")
    anna.available(True)
    return anna


@pytest.fixture
def browser_context(chromium):
    """New browser contexts (separate cookies, like separate people), closed after the test."""
    contexts = []

    def make():
        context = chromium.new_context()
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def live_chat(app, live_server):
    """The live server with short streams, so that browsers reconnect with Last-Event-ID.

    Afterwards it waits for the requests still being served (streams end at their next
    write once the client is gone), so that none outlives the test's database.
    """
    app.config.update(CHAT_STREAM_SECONDS=2, CHAT_POLL_SECONDS=0.1)
    yield live_server
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=30)
