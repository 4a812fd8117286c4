"""The agent's queue view: waiting callers, status, taking calls, the screen pop."""
import datetime as dt
import io

import pytest
from sqlalchemy import select

from ivr.console.display import mask_number
from ivr.console.screen import add_ticket_finder
from ivr.customers import import_customers
from ivr.models import Call, Customer, Staff

CSV = ("customer_number,name,email,phone,web_number,domain,activation_password\n"
       "10001,Erika Mustermann,erika@example.de,,web123,example.de,geheim\n")


@pytest.fixture
def anna(make_staff, console):
    agent = make_staff("anna", status="paused")
    console.login("anna")
    return agent


@pytest.fixture
def erika(session):
    import_customers(session, io.StringIO(CSV))
    session.commit()
    return session.scalar(select(Customer))


def test_waiting_callers_are_listed_next_first_with_what_an_agent_needs(console, anna, waiting_call,
                                                                         erika):
    waiting_call("CA-new", minutes=1, caller="+4915112345678", intent="menu_failed", language="en")
    waiting_call("CA-old", minutes=4, customer_id=erika.id)
    waiting_call("CA-first", minutes=0.5, intent="activation_failed")
    state = console.client.get("/console/queue/state").get_json()
    rows = state["waiting"]
    assert [row["position"] for row in rows] == [1, 2, 3]
    assert [row["intent"] for row in rows] == ["activation_failed", "support", "menu_failed"]
    old = rows[1]
    assert (old["customer_number"], old["customer_name"]) == ("10001", "Erika Mustermann")
    assert 235 <= old["waiting_seconds"] <= 245
    new = rows[2]
    assert new["customer_number"] is None and new["language"] == "en"
    assert new["caller"] == "+4915•••••••78" and "12345" not in new["caller"]
    assert state["me"]["status"] == "paused" and state["call"] is None


def test_taking_a_caller_puts_them_through_and_shows_the_screen_pop(console, anna, waiting_call, erika,
                                                                    twilio_api, session):
    session.add(Call(call_sid="CA-yesterday", customer_id=erika.id, queue_result="bridged",
                     started_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)))
    call = waiting_call("CA-now", minutes=2, customer_id=erika.id)
    response = console.json("/console/queue/take", {"call_id": call.id})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert twilio_api.requests[0].form["Url"] == f"http://localhost/twilio/agent/dial?agent={anna.id}"
    state = console.client.get("/console/queue/state").get_json()
    assert state["me"]["status"] == "on_call"
    assert state["waiting"] == []
    pop = state["call"]
    assert pop["customer"]["name"] == "Erika Mustermann"
    assert pop["web_accounts"] == [{"web_number": "web123", "domain": "example.de", "status": "pending"}]
    assert len(pop["recent_calls"]) == 1 and pop["tickets"] == []


def test_a_caller_taken_by_someone_else_is_refused_with_the_reason(console, anna, waiting_call,
                                                                   twilio_api, make_staff, session):
    ben = make_staff("ben", phone="+4923811230002", status="paused")
    call = waiting_call("CA1")
    from ivr import routing
    from ivr.db import utcnow
    assert routing.take(session, ben.id, call.id, utcnow()).name == "TAKEN"
    session.commit()
    response = console.json("/console/queue/take", {"call_id": call.id})
    assert response.status_code == 409
    assert "taken by someone else" in response.get_json()["error"]
    assert twilio_api.requests == []
    assert session.scalar(select(Staff.status).where(Staff.id == anna.id)) == "paused"


def test_take_next_with_nobody_waiting_says_so(console, anna, twilio_api):
    response = console.json("/console/queue/take")
    assert (response.status_code, response.get_json()) == (409, {"error": "nobody is waiting"})


def test_take_next_takes_the_longest_waiting(console, anna, waiting_call, twilio_api, session):
    waiting_call("CA-new", minutes=1)
    old = waiting_call("CA-old", minutes=3)
    assert console.json("/console/queue/take").get_json() == {"taken": old.id}


def test_becoming_available_brings_the_next_caller_at_once(console, anna, waiting_call, twilio_api, session):
    call = waiting_call("CA1")
    response = console.json("/console/queue/status", {"status": "available"})
    assert response.status_code == 200
    assert response.get_json()["me"]["status"] == "on_call"
    assert twilio_api.requests[0].path.endswith("/Calls/CA1.json")
    session.expire_all()
    assert session.get(Call, call.id).agent_id == anna.id


def test_a_pause_needs_a_reason(console, anna):
    response = console.json("/console/queue/status", {"status": "paused", "reason": " "})
    assert response.status_code == 400 and "reason" in response.get_json()["error"]
    response = console.json("/console/queue/status", {"status": "paused", "reason": "coffee"})
    assert response.get_json()["me"]["reason"] == "coffee"


def test_an_unknown_status_is_a_400_with_the_choices(console, anna):
    response = console.json("/console/queue/status", {"status": "on_call"})
    assert response.status_code == 400 and "offline, available, paused" in response.get_json()["error"]


def test_wrap_up_ends_on_the_next_poll_and_brings_the_next_caller(console, anna, waiting_call,
                                                                 twilio_api, session):
    agent = session.get(Staff, anna.id)
    agent.status, agent.wrap_up_until = "wrap_up", dt.datetime.now(dt.timezone.utc)
    session.commit()
    waiting_call("CA1")
    state = console.client.get("/console/queue/state").get_json()
    assert state["me"]["status"] == "on_call"
    assert len(twilio_api.requests) == 1


def test_tickets_come_from_the_registered_finders(app, console, anna, waiting_call, erika, twilio_api):
    add_ticket_finder(app, lambda session, customer, caller: [
        {"reference": "T-1", "subject": f"Mail for {customer.customer_number}", "status": "open",
         "url": "/tickets/1"}])
    call = waiting_call("CA1", customer_id=erika.id)
    console.json("/console/queue/take", {"call_id": call.id})
    pop = console.client.get("/console/queue/state").get_json()["call"]
    assert pop["tickets"][0]["subject"] == "Mail for 10001"


@pytest.mark.parametrize("number, shown", [("+4923819738700", "+4923•••••••00"), (None, "anonymous"),
                                           ("123", "•••")])
def test_caller_numbers_are_masked(number, shown):
    assert mask_number(number) == shown


def test_a_user_without_a_phone_cannot_become_available(console, make_staff):
    make_staff("sue", role="supervisor", phone=None)
    console.login("sue")
    response = console.json("/console/queue/status", {"status": "available"})
    assert response.status_code == 400 and "no phone number" in response.get_json()["error"]
