"""The event streams: message ids as event ids, catch-up after Last-Event-ID with nothing
lost and nothing twice, the history, and live delivery to several open streams at once."""
import sqlite3

import pytest
import requests
from sqlalchemy import text

from ivr.chat.limits import Limits
from ivr.chat.messages import ROOM_LOCK, post_customer_message
from ivr.chat.tokens import ChatCustomer as Named
from ivr.chat.tokens import make_entry_token
from ivr.db import utcnow
from tests.chat.conftest import CHAT_SECRET, messages_of, parse_events


def test_each_message_event_carries_the_message_id(customer, support):
    erika = customer("10001", "Erika")
    sent = [erika.say(f"Nachricht {n}")["id"] for n in range(3)]
    events = [event for event in erika.stream() if event.name == "message"]
    assert [event.id for event in events] == sent == [event.data["id"] for event in events]


def test_reconnecting_with_last_event_id_gives_exactly_the_messages_after_it(customer, support):
    erika, max_ = customer("10001", "Erika"), customer("10002", "Max")
    first = [erika.say(f"vorher {n}")["id"] for n in range(3)]
    seen_before = messages_of(erika.stream())
    assert [message["id"] for message in seen_before] == first
    later = [max_.say("öffentlich")["id"], max_.say("privat von Max", to_support=True)["id"],
             support.say("an alle").get_json()["id"], erika.say("noch eine", to_support=True)["id"]]
    caught_up = messages_of(erika.stream(last_event_id=first[-1]))
    assert [message["id"] for message in caught_up] == [later[0], later[2], later[3]]
    assert messages_of(erika.stream(last_event_id=later[3])) == []


def test_catch_up_is_not_limited_to_the_history_length(customer, support, app):
    app.config.update(CHAT_HISTORY_MESSAGES=2, CHAT_RATE_MESSAGES=100)
    erika = customer("10001", "Erika")
    sent = [erika.say(f"Nachricht {n}")["id"] for n in range(5)]
    assert [message["id"] for message in messages_of(erika.stream())] == sent[-2:]
    assert [message["id"] for message in messages_of(erika.stream(last_event_id=0))] == sent


def test_a_page_that_opens_a_new_stream_names_its_last_id_in_the_url(customer, support):
    erika = customer("10001", "Erika")
    sent = [erika.say(f"Nachricht {n}")["id"] for n in range(3)]
    response = erika.client.get(f"/chat/stream?after={sent[0]}")
    assert [event.id for event in parse_events(response.get_data(as_text=True))
            if event.name == "message"] == sent[1:]


@pytest.mark.parametrize("value", ["abc", "-1", "1e3", "9" * 30])
def test_a_bad_last_event_id_is_a_400(customer, value):
    erika = customer("10001", "Erika")
    response = erika.client.get("/chat/stream", headers={"Last-Event-ID": value})
    assert response.status_code == 400 and "Last-Event-ID" in response.get_json()["error"]


def test_a_stream_tells_the_browser_to_reconnect_quickly_and_is_not_cached(customer):
    erika = customer("10001", "Erika")
    response = erika.client.get("/chat/stream")
    assert response.get_data(as_text=True).startswith("retry: ")
    assert response.headers["Cache-Control"] == "no-cache"


def test_while_one_message_is_uncommitted_no_other_writer_can_add_one(app, session, support):
    """Ids are committed in their order: what makes "everything after id N" lose nothing."""
    post_customer_message(session, Named("10001", "Erika"), "offen", False, utcnow(),
                          Limits.from_config(app.config))
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        other = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    else:
        with app.extensions["db.engine"].connect() as other:
            held = other.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                      "AND objid = :key AND granted"), {"key": ROOM_LOCK}).scalar()
            assert held == 1
    session.rollback()


def csrf_of(page: str) -> str:
    """The CSRF token a chat page carries in its meta tag."""
    return page.split('name="csrf-token" content="')[1].split('"')[0]


def open_stream(base_url: str, path: str, http: requests.Session) -> requests.Response:
    response = http.get(base_url + path, stream=True, timeout=30)
    assert response.status_code == 200
    return response


def events_until(response: requests.Response, body: str) -> list[dict]:
    """The messages of a live stream up to and including the one with this body."""
    received, block = [], []
    for line in response.iter_lines(decode_unicode=True):
        if line:
            block.append(line)
            continue
        for event in parse_events("\n".join(block) + "\n\n"):
            if event.name == "message":
                received.append(event.data)
        block = []
        if received and received[-1]["body"] == body:
            return received
    raise AssertionError(f"the stream ended before {body!r}; received {received}")


def test_live_streams_of_several_customers_carry_only_what_each_may_see(app, live_chat, support):
    """Streams open before the messages are sent; the last public message marks the end."""
    app.config["CHAT_STREAM_SECONDS"] = 20
    live_server = live_chat
    people = {}
    for number, name in [("10001", "Erika"), ("10002", "Max"), ("10003", "Lena")]:
        http = requests.Session()
        page = http.get(live_server + "/chat/enter").text
        response = http.post(live_server + "/chat/enter", data={
            "token": make_entry_token(CHAT_SECRET, number, name), "csrf_token": csrf_of(page)})
        assert response.status_code == 200 and response.url == live_server + "/chat/"
        people[number] = http
    streams = {number: open_stream(live_server, "/chat/stream", http) for number, http in people.items()}

    def say(number, body, to_support=False):
        http = people[number]
        page = http.get(live_server + "/chat/").text
        response = http.post(live_server + "/chat/messages", json={"body": body, "to_support": to_support},
                             headers={"X-CSRF-Token": csrf_of(page)})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    try:
        question = say("10001", "Erika fragt privat", to_support=True)
        say("10002", "Max fragt öffentlich")
        say("10003", "Lena fragt privat", to_support=True)
        support.say("Antwort nur für Erika", reply_to=question, private=True)
        support.say("Ende für alle")
        bodies = {number: [m["body"] for m in events_until(stream, "Ende für alle")]
                  for number, stream in streams.items()}
    finally:
        for stream in streams.values():
            stream.close()
        for http in people.values():
            http.close()
    assert bodies == {
        "10001": ["Erika fragt privat", "Max fragt öffentlich", "Antwort nur für Erika", "Ende für alle"],
        "10002": ["Max fragt öffentlich", "Ende für alle"],
        "10003": ["Max fragt öffentlich", "Lena fragt privat", "Ende für alle"],
    }
