"""Routing: next caller to the agent idle longest, atomic takes, wrap-up, missed calls."""
import datetime as dt
import threading

from sqlalchemy import select

from ivr import agents, routing
from ivr.db import utcnow
from ivr.models import Call, CallEvent, Staff
from ivr.routing import TakeResult


def test_next_caller_goes_to_the_agent_idle_longest(session, make_staff, waiting_call):
    recent = make_staff("recent", status="available", idle_minutes=1)
    longest = make_staff("longest", phone="+4923811230002", status="available", idle_minutes=9)
    make_staff("paused", phone="+4923811230003", status="paused", idle_minutes=30)
    waiting_call("CA-new", minutes=1)
    waiting_call("CA-old", minutes=5)
    given = routing.dispatch(session, utcnow())
    session.commit()
    assert {(call.call_sid, call.agent.username) for call in given} == {
        ("CA-old", "longest"), ("CA-new", "recent")}
    assert session.get(Staff, longest.id).status == session.get(Staff, recent.id).status == "on_call"


def test_a_caller_whose_activation_failed_is_routed_first(session, make_staff, waiting_call):
    make_staff("anna", status="available")
    waiting_call("CA-old", minutes=9)
    waiting_call("CA-activation", minutes=1, intent="activation_failed")
    [given] = routing.dispatch(session, utcnow())
    assert given.call_sid == "CA-activation"


def test_nobody_is_routed_without_an_idle_agent(session, make_staff, waiting_call):
    make_staff("anna", status="paused")
    waiting_call("CA1")
    assert routing.dispatch(session, utcnow()) == []


def test_two_agents_taking_the_same_caller_at_once_exactly_one_wins(app, make_staff, waiting_call):
    names = [f"agent{i}" for i in range(6)]
    ids = [make_staff(name, phone=f"+492381123000{i}").id for i, name in enumerate(names)]
    call_id = waiting_call("CA-contested").id
    barrier = threading.Barrier(len(ids))
    results = {}

    def click(agent_id):
        with app.app_context(), app.extensions["db.sessionmaker"]() as own:
            barrier.wait()
            results[agent_id] = routing.take(own, agent_id, call_id, utcnow())
            own.commit()

    threads = [threading.Thread(target=click, args=(agent_id,)) for agent_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [agent_id for agent_id, result in results.items() if result is TakeResult.TAKEN]
    assert len(winners) == 1
    assert sorted(r.name for r in results.values()) == ["CALLER_GONE"] * 5 + ["TAKEN"]
    with app.app_context(), app.extensions["db.sessionmaker"]() as check:
        assert check.get(Call, call_id).agent_id == winners[0]
        statuses = {s.id: s.status for s in check.scalars(select(Staff))}
    assert statuses[winners[0]] == "on_call"
    assert all(status == "offline" for agent_id, status in statuses.items() if agent_id != winners[0])


def test_an_agent_on_a_call_cannot_take_another(session, make_staff, waiting_call):
    anna = make_staff("anna", status="available")
    first, second = waiting_call("CA1"), waiting_call("CA2")
    assert routing.take(session, anna.id, first.id, utcnow()) is TakeResult.TAKEN
    assert routing.take(session, anna.id, second.id, utcnow()) is TakeResult.AGENT_BUSY
    session.commit()
    assert session.get(Call, second.id).agent_id is None


def test_take_next_takes_the_caller_at_the_head(session, make_staff, waiting_call):
    anna = make_staff("anna", status="paused")
    waiting_call("CA-new", minutes=1)
    waiting_call("CA-old", minutes=4)
    result, call = routing.take_next(session, anna.id, utcnow())
    assert (result, call.call_sid) == (TakeResult.TAKEN, "CA-old")


def test_wrap_up_ends_after_the_configured_time(session, make_staff, waiting_call):
    anna = make_staff("anna", status="available")
    call = waiting_call("CA1")
    routing.take(session, anna.id, call.id, utcnow())
    anna, call = session.get(Staff, anna.id), session.get(Call, call.id)
    ended = utcnow()
    agents.talk_ended(session, call, anna, ended, talk_seconds=95, wrap_up_seconds=30)
    session.commit()
    assert (anna.status, call.talk_seconds) == ("wrap_up", 95)
    assert agents.finish_wrap_ups(session, ended + dt.timedelta(seconds=29)) == 0
    assert agents.finish_wrap_ups(session, ended + dt.timedelta(seconds=30)) == 1
    session.commit()
    anna = session.get(Staff, anna.id)
    assert (anna.status, anna.status_since) == ("available", ended + dt.timedelta(seconds=30))


def test_an_agent_back_from_wrap_up_gets_the_next_caller(session, make_staff, waiting_call):
    anna = make_staff("anna", status="wrap_up")
    anna.wrap_up_until = utcnow() - dt.timedelta(seconds=1)
    session.commit()
    waiting_call("CA1")
    [given] = routing.dispatch(session, utcnow())
    assert given.agent_id == anna.id


def test_a_pause_needs_a_reason_and_a_call_must_end_first(session, make_staff):
    anna = make_staff("anna", status="available")
    try:
        agents.set_status(session, anna, "paused", utcnow())
    except agents.StatusRefused as exc:
        assert "reason" in str(exc)
    else:
        raise AssertionError("a pause without a reason was accepted")
    agents.set_status(session, anna, "paused", utcnow(), "lunch")
    assert (anna.status, anna.status_reason) == ("paused", "lunch")
    anna.status = "on_call"
    try:
        agents.set_status(session, anna, "offline", utcnow())
    except agents.StatusRefused as exc:
        assert "on a call" in str(exc)
    else:
        raise AssertionError("an agent on a call went offline")


def test_a_failed_redirect_frees_the_agent_and_the_caller_waits_on(app, session, make_staff,
                                                                   waiting_call, twilio_api):
    twilio_api.status = 404
    anna = make_staff("anna", status="available")
    waiting_call("CA1")
    with app.test_request_context():
        routing.dispatch_job("https://hotline.example.net")
    session.expire_all()
    call = session.scalar(select(Call))
    assert call.agent_id is None and session.get(Staff, anna.id).status == "available"
    kinds = [e.kind for e in session.scalars(select(CallEvent).order_by(CallEvent.id))]
    assert kinds == ["agent_offered", "agent_put_through_failed"]
    assert twilio_api.requests[0].form["Url"] == f"https://hotline.example.net/twilio/agent/dial?agent={anna.id}"
