"""Twilio voice webhooks: thin views that hand each request to the call flows.

| route                     | Twilio sends                | answers                          |
|---------------------------|-----------------------------|----------------------------------|
| POST /twilio/voice        | a new call                  | greeting and price announcement  |
| POST /twilio/step?state=S | the keys typed at state S   | the next state's TwiML           |
| POST /twilio/queue/wait   | the Enqueue wait URL        | position, expected wait, free    |
| POST /twilio/queue/left   | the Enqueue action          | what follows the queue           |
| POST /twilio/status       | the call's status callback  | 204                              |

While the database cannot be reached: a new call or a step gets the apology and the queue,
the wait URL says that waiting is free and holds, the Enqueue action goes on as the result
allows (see callflows.queue) and is recorded by a job later, and a status callback is handed to a job that retries it
(204), or refused with 503 and logged when there is no job queue to take it.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
from typing import Callable, Mapping

from flask import Blueprint, Response, current_app, request
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session
from twilio.twiml.voice_response import VoiceResponse

from billing.cutoff import schedule_cut_off
from billing.jobs import RATE_CALL
from callflows import FIRST_STATE
from callflows import queue as queue_flow
from callflows.engine import Turn, keypad_input
from callflows.script import Line, Queue, Say
from ivr import agents, jobs, routing
from ivr.calls import open_call, record_status
from ivr.db import close_session, get_session, new_session, utcnow
from ivr.queue import waiting_ahead
from webhooks.signature import twilio_webhook
from webhooks.twiml import render

bp = Blueprint("twilio", __name__, url_prefix="/twilio")
log = logging.getLogger(__name__)

#: The job that stores a status callback the webhook could not store.
STATUS_JOB = "webhooks.voice.record_status_job"
#: The job that records an Enqueue action the webhook could not record.
QUEUE_LEFT_JOB = "webhooks.voice.record_queue_left_job"
#: The callbacks that go to a job while the database is unavailable: kind -> job, name.
CALLBACK_JOBS = {"status": (STATUS_JOB, "status callback"),
                 "queue-left": (QUEUE_LEFT_JOB, "Enqueue action")}
#: Their waits before each retry: about an hour and a half in all, for a database restart.
CALLBACK_RETRY_SECONDS = (5, 15, 30, 60, 120, 300, 600, 1200, 3600)


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


def hold() -> VoiceResponse:
    """What a waiting caller hears when the wait URL failed: waiting is free, then hold."""
    settings = current_app.config
    return render(queue_flow.hold(settings), settings["DEFAULT_LANGUAGE"], settings)


def after_queue() -> VoiceResponse:
    """What follows the queue when the Enqueue action failed, by its QueueResult.

    The action itself goes to a job (see handed_to_job): the queue time it brings is free.
    """
    settings = current_app.config
    raw = params()
    if raw.get("CallSid"):
        handed_to_job("queue-left", raw, utcnow())
    script = queue_flow.left_unrecorded(raw.get("QueueResult") or "", settings)
    return render(script, settings["DEFAULT_LANGUAGE"], settings)


def database_unavailable(exc: BaseException) -> bool:
    """Whether an error means the database cannot be reached (down, restarting, cut off)."""
    return isinstance(exc, (OperationalError, InterfaceError)) or bool(
        getattr(exc, "connection_invalidated", False))


def queue_time(raw: Mapping[str, str]) -> int:
    """Twilio's QueueTime: the seconds the caller has spent in the queue, 0 to a day."""
    try:
        return max(0, min(int(raw.get("QueueTime", "0")), 86_400))
    except ValueError:
        return 0


def queue_result(raw: Mapping[str, str]) -> str:
    """Twilio's QueueResult: how the caller left the queue."""
    return (raw.get("QueueResult") or "unknown")[:32]


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


def call_webhook(view=None, *, on_error: Callable[[], VoiceResponse] = apology):
    """A webhook of a call: signed, with a CallSid, and `on_error` instead of an error.

    Used bare (`@call_webhook`, the apology and the queue) or with its own `on_error`.
    """
    if view is None:
        return functools.partial(call_webhook, on_error=on_error)

    @functools.wraps(view)
    def with_call_sid():
        if not params().get("CallSid"):
            return on_error()
        return view()

    return twilio_webhook(on_error=on_error)(with_call_sid)


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
@call_webhook(on_error=hold)
def queue_wait():
    """What a waiting caller hears, once per interval; the position is ours (see ivr.queue).

    A caller queued by the apology reaches the queue's state here.
    """
    turn, _ = call_turn()
    call = turn.call
    if call.enqueued_at is None or call.state != "queue":
        queue_flow.reached_by_wait_url(turn, queue_time(params()))
    position = waiting_ahead(turn.session, call) + 1
    response = answer(turn, queue_flow.waiting(turn, position))
    routing.route_waiting_callers()  # an idle agent may take this caller (or one ahead) now
    return response


@bp.post("/queue/left")
@call_webhook(on_error=after_queue)
def queue_left():
    """The Enqueue action: how the caller left the queue, and what follows.

    For a call that already ended (a caller bridged to an agent), the queue time it brings
    changes the rating: the call is rated again.
    """
    turn, _ = call_turn()
    outcome = queue_flow.left(turn, queue_result(params()), queue_time(params()))
    machine = current_app.extensions["callflows"]
    script = [] if outcome is None else machine.enter(turn, outcome.to, outcome.say,
                                                      event=outcome.event)
    response = answer(turn, script)
    if turn.call.ended_at is not None:
        rate_later(turn.call.call_sid)
    return response


def take_status(session: Session, raw: Mapping[str, str], received_at: dt.datetime,
                settings: Mapping, finish_ended: bool = False) -> None:
    """Store a status callback; a final status frees the caller's agent and starts the rating.

    With `finish_ended`, a call that had already ended gets both again (both are safe to
    repeat), in case an earlier attempt stored the callback and then lost the database.
    """
    call, became_final = record_status(session, raw, received_at, settings["DEFAULT_LANGUAGE"])
    session.commit()
    if became_final or (finish_ended and call.ended_at is not None):
        agents.caller_gone(session, call, utcnow(), settings["WRAP_UP_SECONDS"])
        session.commit()
        rate_later(call.call_sid)


def record_queue_left_job(raw: dict[str, str], received_at: str) -> None:
    """Record an Enqueue action the webhook could not record, and rate the call again if it
    has ended: the queue time it brings is free. A caller queued by the apology, whose wait
    URL was never recorded either, gets the stint the action reports."""
    with jobs.job_app() as app, new_session() as session:
        now = dt.datetime.fromisoformat(received_at)
        call, _ = open_call(session, raw, now, app.config["DEFAULT_LANGUAGE"])
        turn = Turn(session=session, call=call, settings=app.config, now=now)
        seconds = queue_time(raw)
        if call.state != "queue" or call.enqueued_at is None:
            queue_flow.reached_by_wait_url(turn, seconds)
        queue_flow.left(turn, queue_result(raw), seconds)
        session.commit()
        if call.ended_at is not None:
            rate_later(call.call_sid)


def record_status_job(raw: dict[str, str], received_at: str) -> None:
    """Store a status callback the webhook could not store; fails (and is retried) until it can.

    Safe to run any number of times: the same callback is stored once (see record_status).
    """
    with jobs.job_app() as app, new_session() as session:
        take_status(session, raw, dt.datetime.fromisoformat(received_at), app.config,
                    finish_ended=True)


def handed_to_job(kind: str, raw: dict[str, str], received_at: dt.datetime) -> bool:
    """Hand a callback the database could not take to its job (CALLBACK_JOBS) with retries.

    One job id per callback: kind, CallSid, status and sequence number. Without a job queue
    (no REDIS_URL) the job would run inline and fail the same way, and when Redis refuses
    it the database cannot keep it for later: then the callback is logged whole, so that it
    is not lost unnoticed, and the answer is False.
    """
    job, what = CALLBACK_JOBS[kind]
    if current_app.config.get("REDIS_URL"):
        parts = (raw.get("CallSid", ""), raw.get("CallStatus", ""), raw.get("SequenceNumber", ""))
        job_id = "-".join([kind, *(re.sub(r"[^A-Za-z0-9]", "", part)[:64] for part in parts)])
        try:
            jobs.enqueue(job, raw, received_at.isoformat(), job_id=job_id,
                         retry_seconds=CALLBACK_RETRY_SECONDS)
        except SQLAlchemyError:  # Redis refused the job, and the database cannot keep it
            pass
        else:
            log.warning("%s of call %s handed to a job (database unavailable)", what,
                        raw["CallSid"][:64])
            return True
    log.error("%s not processed, or not wholly (database and job queue unavailable): %s",
              what, json.dumps(raw, sort_keys=True))
    return False


@bp.post("/status")
@twilio_webhook()
def status():
    """The call's status callback: stored always; a final status starts the rating.

    While the database is unavailable the callback goes to a job (see handed_to_job).
    """
    raw = params()
    if not raw.get("CallSid"):
        return Response("CallSid is missing\n", status=400, mimetype="text/plain")
    received_at = utcnow()
    try:
        take_status(get_session(), raw, received_at, current_app.config)
    except Exception as exc:
        if not database_unavailable(exc):
            raise
        log.warning("status callback of call %s: database unavailable (%s)",
                    raw["CallSid"][:64], exc.__class__.__name__)
        close_session()
        if not handed_to_job("status", raw, received_at):
            return Response("database and job queue unavailable: status callback not processed\n",
                            status=503, mimetype="text/plain")
    return Response(status=204)
