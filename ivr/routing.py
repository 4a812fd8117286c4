"""Routing: which waiting caller goes to which agent, and putting the call through.

An agent gets a caller by one conditional UPDATE on each row: the agent's row from a
free status to `on_call`, the caller's row from waiting to having that agent. Two agents
clicking the same caller, or two workers routing at once, cannot both win: the database
lets exactly one UPDATE match, the other finds the row changed and is told so.

Automatic routing gives the next caller (priority first, then by place in line, see
`ivr.queue`) to the available agent idle longest. The call is then redirected with
Twilio's REST API to TwiML that dials the agent's phone (`webhooks.agent`).
"""
from __future__ import annotations

import datetime as dt
import enum
import logging
from typing import Iterable, Optional
from urllib.parse import urlencode

from flask import current_app, has_request_context, request
from redis.exceptions import RedisError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ivr import jobs, telephony
from ivr.agents import CALL_ROLES, finish_wrap_ups
from ivr.db import new_session, utcnow
from ivr.jobs import job_app
from ivr.models import Call, CallEvent, Staff
from ivr.queue import is_waiting, waiting_callers

log = logging.getLogger(__name__)

#: An agent may take a caller by hand from any status but on a call.
TAKE_FROM = ("offline", "available", "paused", "wrap_up")
DISPATCH_JOB = "ivr.routing.dispatch_job"
#: The webhook whose TwiML dials an agent (webhooks.agent).
AGENT_DIAL_PATH = "/twilio/agent/dial"


class TakeResult(enum.Enum):
    """How an attempt to give a caller to an agent ended."""

    TAKEN = "taken"
    CALLER_GONE = "the caller was taken by someone else or has left the queue"
    AGENT_BUSY = "you are on a call already"


def take(session: Session, agent_id: int, call_id: int, now: dt.datetime,
         how: str = "take", from_statuses: Iterable[str] = TAKE_FROM) -> TakeResult:
    """Give the waiting caller to the agent, if both are still free; atomic."""
    savepoint = session.begin_nested()
    claimed_agent = session.execute(
        update(Staff)
        .where(Staff.id == agent_id, Staff.status.in_(tuple(from_statuses)),
               Staff.role.in_(CALL_ROLES), Staff.phone.is_not(None))
        .values(status="on_call", status_reason=None, status_since=now, wrap_up_until=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed_agent:
        savepoint.rollback()
        return TakeResult.AGENT_BUSY
    claimed_call = session.execute(
        update(Call)
        .where(Call.id == call_id, is_waiting())
        .values(agent_id=agent_id, agent_offered_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed_call:
        savepoint.rollback()
        return TakeResult.CALLER_GONE
    savepoint.commit()
    session.expire_all()
    session.add(CallEvent(call_id=call_id, at=now, kind="agent_offered", state="queue",
                          detail={"agent_id": agent_id, "how": how}))
    return TakeResult.TAKEN


def take_next(session: Session, agent_id: int, now: dt.datetime) -> tuple[TakeResult, Optional[Call]]:
    """Give the agent the next waiting caller; (CALLER_GONE, None) when nobody waits."""
    for call in waiting_callers(session, limit=50):
        result = take(session, agent_id, call.id, now, how="take_next")
        if result is TakeResult.TAKEN:
            return result, session.get(Call, call.id)
        if result is TakeResult.AGENT_BUSY:
            return result, None
    return TakeResult.CALLER_GONE, None


def idle_agents(session: Session) -> list[Staff]:
    """Available agents who can be dialled, idle longest first."""
    return list(session.scalars(
        select(Staff)
        .where(Staff.status == "available", Staff.role.in_(CALL_ROLES), Staff.phone.is_not(None))
        .order_by(Staff.status_since, Staff.id)
    ))


def dispatch(session: Session, now: dt.datetime) -> list[Call]:
    """Pair waiting callers with idle agents, next caller to longest idle; the calls given."""
    finish_wrap_ups(session, now)
    agents = idle_agents(session)
    if not agents:
        return []
    callers = [call.id for call in waiting_callers(session, limit=2 * len(agents) + 10)]
    given: list[int] = []
    for agent_id in [agent.id for agent in agents]:
        while callers:
            result = take(session, agent_id, callers[0], now, how="routing",
                          from_statuses=("available",))
            if result is TakeResult.AGENT_BUSY:
                break
            call_id = callers.pop(0)
            if result is TakeResult.TAKEN:
                given.append(call_id)
                break
    return [session.get(Call, call_id) for call_id in given]


def public_base_url() -> str:
    """The base URL Twilio reaches the hotline at: PUBLIC_BASE_URL, or the request's."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    raise RuntimeError("PUBLIC_BASE_URL must be set to route calls outside a web request")


def dial_url(base_url: str, agent_id: int) -> str:
    """The absolute URL of the TwiML that dials the agent."""
    return f"{base_url}{AGENT_DIAL_PATH}?{urlencode({'agent': agent_id})}"


def put_through(calls: Iterable[Call], base_url: str) -> list[Call]:
    """Redirect each given caller to the TwiML dialling their agent; the ones that failed.

    Runs after the pairing was committed; a caller who could not be redirected (hung up in
    the meantime) goes to `not_put_through` in a transaction of the caller's.
    """
    failed = []
    for call in calls:
        try:
            telephony.redirect(call.call_sid, dial_url(base_url, call.agent_id))
        except telephony.TelephonyError as exc:
            log.warning("putting call %s through to agent %s failed: %s", call.call_sid,
                        call.agent_id, exc)
            failed.append(call)
    return failed


def not_put_through(session: Session, call: Call, now: dt.datetime) -> None:
    """The redirect to the agent failed: the agent is available again, the caller waits."""
    agent = call.agent
    if agent is not None and agent.status == "on_call":
        agent.status = "available"
        agent.status_since = now
    session.add(CallEvent(call=call, at=now, kind="agent_put_through_failed", state=call.state,
                          detail={"agent_id": call.agent_id}))
    call.agent_id = None
    call.agent_offered_at = None


def route_waiting_callers() -> None:
    """Start routing as a job (after the request's changes are committed), unless one waits.

    A routing job that has not started yet will see this request's changes: a second one
    would only repeat its work. A failure is logged, never passed on: the request that
    started it has done its part.
    """
    try:
        if not routing_already_pending():
            jobs.enqueue(DISPATCH_JOB, public_base_url(), urgent=True)
    except Exception:
        log.exception("routing waiting callers failed")


#: Set in Redis while a routing job waits to run; expires in case the job is lost.
PENDING_KEY = "hotline:routing-pending"
PENDING_SECONDS = 30


def routing_already_pending() -> bool:
    """Mark a routing job as pending on rq; True if one already was. Always False inline."""
    queue = current_app.extensions.get("rq.queue")
    if queue is None:
        return False
    try:
        return not queue.connection.set(PENDING_KEY, b"1", nx=True, ex=PENDING_SECONDS)
    except RedisError:
        return False


def routing_started() -> None:
    """A routing job starts: callers who begin to wait from now on need a job of their own."""
    queue = current_app.extensions.get("rq.queue")
    if queue is not None:
        try:
            queue.connection.delete(PENDING_KEY)
        except RedisError:
            log.warning("could not clear %s; it expires in %d s", PENDING_KEY, PENDING_SECONDS)


def dispatch_job(base_url: str) -> None:
    """The routing job: pair waiting callers with idle agents and put them through.

    The pending mark is cleared before the database is read, so that no caller who starts
    waiting meanwhile is missed.
    """
    with job_app(), new_session() as session:
        routing_started()
        with session.begin():
            given = dispatch(session, utcnow())
        for call in put_through(given, base_url):
            with session.begin():
                not_put_through(session, session.get(Call, call.id), utcnow())
