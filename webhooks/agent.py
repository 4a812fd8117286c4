"""Twilio webhooks that connect a caller with an agent's phone.

| route                              | Twilio sends                       | answers                        |
|------------------------------------|------------------------------------|--------------------------------|
| POST /twilio/agent/dial?agent=A    | the caller, redirected to agent A  | "connecting you", Dial A's phone |
| POST /twilio/agent/answered?agent=A&call=C | A's phone, once picked up  | nothing: the two are connected |
| POST /twilio/agent/done?agent=A    | the Dial action: how it went       | goodbye; or back to the queue  |
"""
from __future__ import annotations

from typing import Optional

from flask import Blueprint, current_app, request
from twilio.twiml.voice_response import VoiceResponse

from callflows.script import DialAgent, Line, Say
from ivr import agents
from ivr.calls import FINAL_STATUSES, find_call
from ivr.db import get_session, utcnow
from ivr.models import Staff
from ivr.routing import route_waiting_callers
from webhooks.signature import twilio_webhook
from webhooks.voice import answer, call_turn, call_webhook

bp = Blueprint("twilio_agent", __name__, url_prefix="/twilio/agent")

TALKED = ("completed", "answered")


def agent_of_request() -> Optional[Staff]:
    """The agent named by the request's `agent` parameter."""
    try:
        agent_id = int(request.args.get("agent", ""))
    except ValueError:
        return None
    return get_session().get(Staff, agent_id)


def back_to_queue(turn, agent: Optional[Staff], dial_status: str):
    """The caller goes back to their place in line; routing looks for another agent."""
    agents.not_answered(turn.session, turn.call, agent, turn.now, dial_status)
    machine = current_app.extensions["callflows"]
    script = machine.enter(turn, "queue", (Line("agent.no_answer"),), event="agent_not_answered")
    response = answer(turn, script)
    route_waiting_callers()
    return response


@bp.post("/dial")
@call_webhook
def dial():
    """The caller, redirected out of the queue: dial the agent who took them."""
    turn, _ = call_turn()
    agent = agent_of_request()
    if agent is None or turn.call.agent_id != agent.id or not agent.phone:
        return back_to_queue(turn, agent, "not-offered")
    turn.record("agent_dialled", agent=agent.username)
    script = [Say(Line("agent.connecting")),
              DialAgent(agent.id, agent.phone, turn.settings["AGENT_RING_SECONDS"], turn.call.call_sid)]
    return answer(turn, script)


@bp.post("/answered")
@twilio_webhook(on_error=VoiceResponse)
def answered():
    """The agent picked up (Twilio asks the agent's leg before connecting it)."""
    session = get_session()
    agent = agent_of_request()
    parent = (request.args.get("call") or request.form.get("ParentCallSid") or "")[:64]
    call = find_call(session, parent) if parent else None
    if agent is not None and call is not None and call.agent_id == agent.id:
        agents.agent_answered(session, call, agent, utcnow())
        session.commit()
    return VoiceResponse()


def dial_seconds() -> int:
    try:
        return max(0, min(int(request.form.get("DialCallDuration", "0")), 86_400))
    except ValueError:
        return 0


@bp.post("/done")
@call_webhook
def done():
    """The Dial action: after a talk the caller is thanked; unanswered, they queue again."""
    turn, _ = call_turn()
    agent = agent_of_request()
    status = (request.form.get("DialCallStatus") or "unknown")[:16]
    turn.record("agent_dial_done", dial_status=status, agent_id=agent.id if agent else None)
    machine = current_app.extensions["callflows"]
    if agent is None or turn.call.agent_id != agent.id:
        return answer(turn, machine.enter(turn, "goodbye", event="agent_done"))
    if status in TALKED:
        agents.talk_ended(turn.session, turn.call, agent, turn.now, dial_seconds(),
                          turn.settings["WRAP_UP_SECONDS"])
        return answer(turn, machine.enter(turn, "goodbye", event="agent_done"))
    if request.form.get("CallStatus") in FINAL_STATUSES:  # the caller hung up while it rang
        agents.release(agent, turn.now, 0)
        return answer(turn, machine.enter(turn, "ended", event="hangup"))
    return back_to_queue(turn, agent, status)
