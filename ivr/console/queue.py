"""The call-queue view: waiting callers, the agent's own status, taking calls.

| route                         | does                                                   |
|-------------------------------|--------------------------------------------------------|
| GET  /console/queue           | the page; it polls the state every second              |
| GET  /console/queue/state     | JSON: waiting callers, my status, my call's screen pop |
| POST /console/queue/status    | JSON {status, reason}: offline, available, paused      |
| POST /console/queue/take      | JSON {call_id} takes that caller; without it the next  |
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from ivr import agents, routing
from ivr.console.auth import csrf_protect, current_staff, role_required
from ivr.console.display import mask_number
from ivr.console.screen import screen_pop
from ivr.db import get_session, utcnow
from ivr.models import Call, Staff
from ivr.queue import waiting_callers
from ivr.routing import TakeResult

bp = Blueprint("console_queue", __name__, url_prefix="/console/queue")
csrf_protect(bp)

SHOWN_WAITING = 200


def me_json(agent: Staff) -> dict:
    """The agent's status as the page shows it."""
    return {
        "username": agent.username,
        "status": agent.status,
        "reason": agent.status_reason,
        "since": agent.status_since.isoformat(),
        "wrap_up_until": agent.wrap_up_until.isoformat() if agent.wrap_up_until else None,
    }


def put_through(calls: list[Call]) -> bool:
    """Redirect the given callers to their agents; a failure frees the agent. True if all went."""
    session = get_session()
    failed = routing.put_through(calls, routing.public_base_url())
    for call in failed:
        routing.not_put_through(session, session.get(Call, call.id), utcnow())
        session.commit()
    return not failed


def route_and_put_through() -> None:
    """Pair idle agents with waiting callers and redirect the calls (request committed)."""
    session = get_session()
    given = routing.dispatch(session, utcnow())
    session.commit()
    put_through(given)


@bp.get("")
@role_required(*agents.CALL_ROLES)
def page():
    """The queue page."""
    return render_template("console/queue.html",
                           poll_ms=current_app.config["QUEUE_POLL_MILLISECONDS"])


@bp.get("/state")
@role_required(*agents.CALL_ROLES)
def state():
    """Everything the page shows, as JSON; ends wrap-ups that are over on the way."""
    session = get_session()
    now = utcnow()
    if agents.finish_wrap_ups(session, now):
        session.commit()
        route_and_put_through()
    agent = session.get(Staff, current_staff().id)
    waiting = []
    for position, call in enumerate(waiting_callers(session, limit=SHOWN_WAITING), start=1):
        place = call.queued_since or call.enqueued_at
        waiting.append({
            "id": call.id,
            "position": position,
            "waiting_seconds": max(0, int((now - place).total_seconds())),
            "caller": mask_number(call.caller),
            "customer_number": call.customer.customer_number if call.customer else None,
            "customer_name": call.customer.name if call.customer else None,
            "intent": call.intent,
            "language": call.language,
        })
    in_hand = agents.call_in_hand(session, agent)
    return jsonify(now=now.isoformat(), me=me_json(agent), waiting=waiting,
                   call=screen_pop(session, in_hand) if in_hand else None)


@bp.post("/status")
@role_required(*agents.CALL_ROLES)
def set_status():
    """The agent sets their status; becoming available may bring a caller at once."""
    data = request.get_json(silent=True) or request.form
    session = get_session()
    agent = current_staff()
    try:
        agents.set_status(session, agent, str(data.get("status", ""))[:16], utcnow(),
                          str(data.get("reason") or "")[:200])
    except agents.StatusRefused as exc:
        return jsonify(error=str(exc)), 409 if agent.status == "on_call" else 400
    session.commit()
    if agent.status == "available":
        route_and_put_through()
    session.refresh(agent)
    return jsonify(me=me_json(agent))


@bp.post("/take")
@role_required(*agents.CALL_ROLES)
def take():
    """Take the caller with `call_id`, or the next one; 409 when someone else was faster."""
    data = request.get_json(silent=True) or request.form
    session = get_session()
    agent = current_staff()
    now = utcnow()
    if not agent.phone:
        return jsonify(error="your account has no phone number to put calls through to"), 400
    call_id = data.get("call_id")
    if call_id in (None, ""):
        result, call = routing.take_next(session, agent.id, now)
    else:
        try:
            call_id = int(call_id)
        except (TypeError, ValueError):
            return jsonify(error="call_id must be a number"), 400
        result = routing.take(session, agent.id, call_id, now)
        call = session.get(Call, call_id) if result is TakeResult.TAKEN else None
    if result is not TakeResult.TAKEN:
        session.rollback()
        message = "nobody is waiting" if call_id in (None, "") and result is TakeResult.CALLER_GONE \
            else result.value
        return jsonify(error=message), 409
    session.commit()
    if not put_through([call]):
        return jsonify(error="the caller could not be put through (hung up?)"), 409
    return jsonify(taken=call.id)
