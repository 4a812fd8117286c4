"""Twilio voice webhooks: thin views that hand each request to the call flows.

| route                     | Twilio sends                | answers                          |
|---------------------------|-----------------------------|----------------------------------|
| POST /twilio/voice        | a new call                  | greeting and price announcement  |
| POST /twilio/step?state=S | the keys typed at state S   | the next state's TwiML           |
| POST /twilio/queue/wait   | the Enqueue wait URL        | position, expected wait, free    |
| POST /twilio/queue/left   | the Enqueue action          | what follows the queue           |
| POST /twilio/status       | the call's status callback  | 204                              |
"""
from __future__ import annotations

import functools

from flask import Blueprint, Response, current_app, request
from twilio.twiml.voice_response import VoiceResponse

from billing.cutoff import schedule_cut_off
from billing.jobs import RATE_CALL
from callflows import FIRST_STATE
from callflows import queue as queue_flow
from callflows.engine import Turn, keypad_input
from callflows.script import Line, Queue, Say
from ivr import agents, jobs, routing
from ivr.calls import open_call, record_status
from ivr.db import get_session, utcnow
from ivr.queue import waiting_ahead
from webhooks.signature import twilio_webhook
from webhooks.twiml import render

bp = Blueprint("twilio", __name__, url_prefix="/twilio")


def rate_later(call_sid: str) -> None:
    """Start the rating job of a finished call (one job id per call).

    On rq the job runs again after 5 s, 1 min and 10 min when it fails, also when its
    worker dies in the middle of it (see ivr.workers); rating twice gives one record.
    """
    jobs.enqueue(RATE_CALL, call_sid, job_id=f"rate-{call_sid}", retry_seconds=(5, 60, 600))


#: The longest parameter value kept; Twilio's own values are far shorter.
MAX_VALUE = 1000


def params(source: str = "form") -> dict[str, str]:
    """The request's form (or query) parameters, NUL-free and cut to MAX_VALUE characters.

    The signature is checked over the raw values; everything after that uses these.
    """
    raw = getattr(request, source)
    return {k[:100]: v.replace("\x00", "")[:MAX_VALUE] for k, v in raw.items()}


def apology() -> VoiceResponse:
    """What a caller hears when handling their request failed: an apology and the queue."""
    settings = current_app.config
    language = settings["DEFAULT_LANGUAGE"]
    return render([Say(Line("error.apology")), Queue(settings["QUEUE_NAME"])], language, settings)


def call_turn() -> tuple[Turn, bool]:
    """The turn of the request's call, and whether the call is new."""
    settings = current_app.config
    session = get_session()
    now = utcnow()
    call, created = open_call(session, params(), now, settings["DEFAULT_LANGUAGE"])
    return Turn(session=session, call=call, settings=settings, now=now), created


def answer(turn: Turn, script) -> VoiceResponse:
    """Commit the turn's changes and render what the caller hears."""
    turn.session.commit()
    return render(script, turn.call.language, turn.settings)


def call_webhook(view):
    """A webhook of a call: signed, with a CallSid, and an apology instead of an error."""

    @functools.wraps(view)
    def with_call_sid():
        if not params().get("CallSid"):
            return apology()
        return view()

    return twilio_webhook(on_error=apology)(with_call_sid)


@bp.post("/voice")
@call_webhook
def incoming():
    """A new call: the greeting and its 60-minute cut-off. A repeated request repeats its state."""
    turn, created = call_turn()
    machine = current_app.extensions["callflows"]
    name = FIRST_STATE if created else turn.call.state
    response = answer(turn, machine.enter(turn, name, event="incoming" if created else "repeat"))
    if created:
        schedule_cut_off(turn.call)
    return response


@bp.post("/step")
@call_webhook
def step():
    """The keys typed at a state (Digits; empty when the caller stayed silent)."""
    turn, created = call_turn()
    machine = current_app.extensions["callflows"]
    if created:  # no greeting was given on this call yet: give it now
        return answer(turn, machine.enter(turn, FIRST_STATE, event="incoming"))
    asked = params("args").get("state", "")
    return answer(turn, machine.answer(turn, asked, keypad_input(params().get("Digits"))))


@bp.post("/queue/wait")
@call_webhook
def queue_wait():
    """What a waiting caller hears, once per interval; the position is ours (see ivr.queue)."""
    turn, _ = call_turn()
    call = turn.call
    if call.enqueued_at is None:
        call.enqueued_at = turn.now
        call.state = "queue"
    position = waiting_ahead(turn.session, call) + 1
    response = answer(turn, queue_flow.waiting(turn, position))
    routing.route_waiting_callers()  # an idle agent may take this caller (or one ahead) now
    return response


@bp.post("/queue/left")
@call_webhook
def queue_left():
    """The Enqueue action: how the caller left the queue, and what follows.

    For a call that already ended (a caller bridged to an agent), the queue time it brings
    changes the rating: the call is rated again.
    """
    turn, _ = call_turn()
    result = (params().get("QueueResult") or "unknown")[:32]
    try:
        seconds = max(0, min(int(params().get("QueueTime", "0")), 86_400))
    except ValueError:
        seconds = 0
    outcome = queue_flow.left(turn, result, seconds)
    machine = current_app.extensions["callflows"]
    script = [] if outcome is None else machine.enter(turn, outcome.to, outcome.say,
                                                      event=outcome.event)
    response = answer(turn, script)
    if turn.call.ended_at is not None:
        rate_later(turn.call.call_sid)
    return response


@bp.post("/status")
@twilio_webhook()
def status():
    """The call's status callback: stored always; a final status starts the rating."""
    if not params().get("CallSid"):
        return Response("CallSid is missing\n", status=400, mimetype="text/plain")
    session = get_session()
    call, became_final = record_status(session, params(), utcnow(),
                                       current_app.config["DEFAULT_LANGUAGE"])
    session.commit()
    if became_final:
        agents.caller_gone(session, call, utcnow(), current_app.config["WRAP_UP_SECONDS"])
        session.commit()
        rate_later(call.call_sid)
    return Response(status=204)
