"""A caller put through to an agent's phone: redirect, Dial, answer, talk, or back in line."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ivr.calls import find_call
from ivr.db import utcnow
from ivr.figures import figures
from ivr.models import Staff
from ivr.queue import waiting_ahead
from tests.twiml import spoken, verbs

AGENT_PHONE = "+4923811230001"


@pytest.fixture
def queued(twilio):
    twilio.to_menu()
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    return twilio


@pytest.fixture
def anna(make_staff):
    return make_staff("anna", phone=AGENT_PHONE, status="available")


def offered(queued, twilio_api, anna, session):
    queued.twiml("/twilio/queue/wait", QueuePosition="1")
    return find_call(session, queued.call_sid)


def test_a_caller_entering_the_queue_is_put_through_to_an_idle_agent(queued, twilio_api, anna, session):
    call = offered(queued, twilio_api, anna, session)
    assert call.agent_id == anna.id
    [request] = twilio_api.requests
    assert request.path.endswith(f"/Calls/{queued.call_sid}.json")
    assert request.form == {"Url": f"http://localhost/twilio/agent/dial?agent={anna.id}", "Method": "POST"}


def test_the_dial_webhook_connects_the_caller_to_the_agents_phone(queued, twilio_api, anna, session):
    offered(queued, twilio_api, anna, session)
    root = queued.twiml(f"/twilio/agent/dial?agent={anna.id}")
    assert verbs(root) == ["Say", "Dial"]
    assert spoken(root) == ["Sie werden jetzt mit einem Mitarbeiter verbunden."]
    dial = root.find("Dial")
    assert (dial.get("action"), dial.get("timeout")) == (f"/twilio/agent/done?agent={anna.id}", "20")
    number = dial.find("Number")
    assert number.text == AGENT_PHONE
    assert number.get("url") == f"/twilio/agent/answered?agent={anna.id}&call={queued.call_sid}"


def test_a_talk_ends_in_goodbye_and_wrap_up(queued, twilio_api, anna, session, client):
    offered(queued, twilio_api, anna, session)
    queued.twiml(f"/twilio/agent/dial?agent={anna.id}")
    leg = queued.post(f"/twilio/agent/answered?agent={anna.id}&call={queued.call_sid}",
                      CallSid="CA" + "7" * 32)
    assert leg.status_code == 200 and leg.mimetype == "application/xml"
    root = queued.twiml(f"/twilio/agent/done?agent={anna.id}", DialCallStatus="completed",
                        DialCallDuration="125")
    assert spoken(root) == ["Vielen Dank für Ihren Anruf. Auf Wiederhören."]
    session.expire_all()
    call, agent = find_call(session, queued.call_sid), session.get(Staff, anna.id)
    assert call.answered_at is not None and call.talk_seconds == 125
    assert agent.status == "wrap_up"
    assert agent.wrap_up_until == agent.status_since + dt.timedelta(seconds=30)


def test_an_unanswered_agent_phone_puts_the_caller_back_at_the_head(queued, twilio_api, anna,
                                                                     session, waiting_call):
    call = offered(queued, twilio_api, anna, session)
    place = call.enqueued_at
    waiting_call("CA-later", minutes=0)
    root = queued.twiml(f"/twilio/agent/dial?agent={anna.id}")
    root = queued.twiml(f"/twilio/agent/done?agent={anna.id}", DialCallStatus="no-answer",
                        DialCallDuration="0")
    assert spoken(root) == ["Leider ist der Mitarbeiter gerade nicht erreichbar. "
                            "Sie bleiben an der Spitze der Warteschlange."]
    assert verbs(root)[-1] == "Enqueue"
    session.expire_all()
    call, agent = find_call(session, queued.call_sid), session.get(Staff, anna.id)
    assert call.agent_id is None and call.queued_since == place
    assert waiting_ahead(session, call) == 0
    assert (agent.status, agent.status_reason) == ("paused", "missed call")
    assert queued.twiml("/twilio/queue/wait").find("Say").text == "Sie sind an Position 1."


def test_an_unanswered_call_goes_to_the_next_idle_agent(queued, twilio_api, anna, session, make_staff):
    offered(queued, twilio_api, anna, session)
    ben = make_staff("ben", phone="+4923811230002", status="available")
    queued.twiml(f"/twilio/agent/done?agent={anna.id}", DialCallStatus="busy")
    assert twilio_api.requests[-1].form["Url"] == f"http://localhost/twilio/agent/dial?agent={ben.id}"
    session.expire_all()
    assert find_call(session, queued.call_sid).agent_id == ben.id


def test_the_dial_webhook_for_another_agent_puts_the_caller_back(queued, twilio_api, anna, session,
                                                                 make_staff):
    offered(queued, twilio_api, anna, session)
    ben = make_staff("ben", phone="+4923811230002", status="paused")
    root = queued.twiml(f"/twilio/agent/dial?agent={ben.id}")
    assert verbs(root)[-1] == "Enqueue"


def test_the_caller_hanging_up_frees_the_agent(queued, twilio_api, anna, session):
    offered(queued, twilio_api, anna, session)
    queued.post("/twilio/agent/answered?agent=%d" % anna.id, CallSid="CA" + "7" * 32,
                ParentCallSid=queued.call_sid)
    response = queued.post("/twilio/status", CallStatus="completed", CallDuration="300")
    assert response.status_code == 204
    session.expire_all()
    agent = session.get(Staff, anna.id)
    assert agent.status == "wrap_up"
    assert find_call(session, queued.call_sid).talk_seconds is not None


@pytest.mark.parametrize("path", ["/twilio/agent/dial?agent=1", "/twilio/agent/answered?agent=1",
                                  "/twilio/agent/done?agent=1"])
def test_agent_webhooks_need_the_signature(client, path):
    assert client.post(path, data={"CallSid": "CA1"}).status_code == 403


def test_queue_records_keep_twilios_reason_for_each_caller_leaving(queued, twilio_api, anna, session, twilio):
    call = offered(queued, twilio_api, anna, session)
    root = queued.twiml("/twilio/queue/left", QueueResult="redirected", QueueTime="4")
    assert verbs(root) == []
    session.expire_all()
    call = find_call(session, queued.call_sid)
    assert (call.queue_result, call.queue_seconds, call.agent_id) == ("redirected", 4, anna.id)

    twilio.call_sid = "CA" + "8" * 32  # a second caller gives up in the queue
    twilio.to_menu()
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    twilio.twiml("/twilio/queue/wait")
    twilio.twiml("/twilio/queue/left", QueueResult="hangup", QueueTime="50")
    result = figures(session, utcnow(), ZoneInfo("Europe/Berlin"), 20)
    assert (result.today.abandoned, result.waiting) == (1, 0)
