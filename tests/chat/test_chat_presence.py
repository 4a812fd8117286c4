"""Online while someone of support has the chat open and is available; offline otherwise,
with the other ways to reach support."""
import datetime as dt

from sqlalchemy import select, update

from ivr.models import ChatPresence
from tests.chat.conftest import Support

EMAIL = "support@candan.eu"
HOTLINE = "+49 (0) 9001 410520 (0,45 EUR/Min., Mobilfunknetze max. 0,90 EUR/Min.)"


def status_events(events):
    return [event.data["online"] for event in events if event.name == "status"]


def test_without_support_the_chat_is_offline_with_email_and_hotline(customer):
    erika = customer("10001", "Erika")
    page = erika.client.get("/chat/").get_data(as_text=True)
    assert "gerade offline" in page and EMAIL in page and HOTLINE in page
    assert 'data-online="no"' in page and '<form id="composer" hidden' in page
    assert status_events(erika.stream()) == [False]
    response = erika.post_raw({"body": "Hallo?", "to_support": True})
    assert response.status_code == 409
    assert EMAIL in response.get_json()["error"] and "9001 410520" in response.get_json()["error"]
    assert erika.bodies() == []


def test_an_available_agent_takes_the_chat_online_and_switching_off_takes_it_offline(customer, support):
    erika = customer("10001", "Erika")
    page = erika.client.get("/chat/").get_data(as_text=True)
    assert 'data-online="yes"' in page and '<div id="offline" role="status" hidden>' in page
    assert status_events(erika.stream()) == [True]
    erika.say("Hallo")
    assert support.available(False) == {"available": False, "online": False}
    assert status_events(erika.stream()) == [False]
    assert erika.post_raw({"body": "Noch da?"}).status_code == 409


def test_the_chat_stays_online_while_one_of_two_agents_is_available(customer, support, app, make_staff):
    make_staff("ben", phone="+4923811230002")
    ben = Support(app.test_client())
    ben.login("ben")
    assert ben.available(True)["online"] is True
    assert support.available(False) == {"available": False, "online": True}
    assert ben.available(False)["online"] is False


def test_a_closed_agent_chat_goes_offline_when_its_heartbeat_is_too_old(customer, support, session, app):
    erika = customer("10001", "Erika")
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=app.config["CHAT_PRESENCE_SECONDS"] + 1)
    session.execute(update(ChatPresence).values(seen_at=old))
    session.commit()
    assert status_events(erika.stream()) == [False]
    assert erika.post_raw({"body": "Hallo"}).status_code == 409


def test_an_open_agent_stream_renews_the_heartbeat_and_keeps_the_switch(customer, support, session, app):
    erika = customer("10001", "Erika")
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=app.config["CHAT_PRESENCE_SECONDS"] + 1)
    session.execute(update(ChatPresence).values(seen_at=old))
    session.commit()
    support.stream()
    session.expire_all()
    presence = session.scalar(select(ChatPresence))
    assert presence.seen_at > old + dt.timedelta(seconds=1) and presence.available is True
    assert status_events(erika.stream()) == [True]


def test_the_agents_switch_is_shown_on_their_page(support):
    page = support.client.get("/console/chat").get_data(as_text=True)
    assert 'id="available" checked' in page and "online" in page
    support.available(False)
    page = support.client.get("/console/chat").get_data(as_text=True)
    assert 'id="available" >' in page or 'id="available">' in page


def test_the_switch_needs_a_boolean(support):
    response = support.json("/console/chat/presence", {"available": "yes"})
    assert response.status_code == 400 and "available" in response.get_json()["error"]
