"""Agents at work: their status, and what happens to it as their calls go.

| status    | set by                                  | next                          |
|-----------|-----------------------------------------|-------------------------------|
| offline   | the agent                               | available, paused             |
| available | the agent; the end of wrap-up           | on_call (routing or take)     |
| paused    | the agent (with a reason); a missed call | available, offline, on_call (take) |
| on_call   | routing or take                          | wrap_up after the talk; paused when not answered |
| wrap_up   | the end of a talk                        | available after WRAP_UP_SECONDS |
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ivr.exceptions import StatusRefused
from ivr.models import Call, CallEvent, Staff

STATUSES = ("offline", "available", "paused", "on_call", "wrap_up")
#: What agents may set themselves; on_call and wrap_up follow the calls.
SETTABLE = ("offline", "available", "paused")
#: The roles that take calls in the console.
CALL_ROLES = ("agent", "supervisor", "admin")
MISSED_CALL_REASON = "missed call"
MAX_REASON = 100


def set_status(session: Session, agent: Staff, status: str, now: dt.datetime,
               reason: Optional[str] = None) -> None:
    """The agent sets their own status; a pause needs a reason, a call must be finished."""
    if status not in SETTABLE:
        raise StatusRefused(f"status must be one of {', '.join(SETTABLE)}, not {status!r}")
    reason = (reason or "").strip()[:MAX_REASON] or None
    if status == "paused" and reason is None:
        raise StatusRefused("a pause needs a reason")
    if agent.status == "on_call":
        raise StatusRefused("you are on a call: the status changes when it ends")
    if status == "available" and not agent.phone:
        raise StatusRefused("your account has no phone number to put calls through to")
    if agent.status == status and agent.status_reason == (reason if status == "paused" else None):
        return
    agent.status = status
    agent.status_reason = reason if status == "paused" else None
    agent.status_since = now
    agent.wrap_up_until = None


def finish_wrap_ups(session: Session, now: dt.datetime) -> int:
    """Make agents whose wrap-up time is over available again; how many there were."""
    result = session.execute(
        update(Staff)
        .where(Staff.status == "wrap_up", Staff.wrap_up_until <= now)
        .values(status="available", status_since=Staff.wrap_up_until, wrap_up_until=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        session.expire_all()
    return result.rowcount


def call_in_hand(session: Session, agent: Staff) -> Optional[Call]:
    """The call the agent is on or wrapping up, if any."""
    if agent.status not in ("on_call", "wrap_up"):
        return None
    return session.scalar(
        select(Call).where(Call.agent_id == agent.id)
        .order_by(Call.agent_offered_at.desc(), Call.id.desc()).limit(1)
    )


def agent_answered(session: Session, call: Call, agent: Staff, now: dt.datetime) -> None:
    """The agent picked up: the caller's wait ends here."""
    if call.answered_at is None:
        call.answered_at = now
        session.add(CallEvent(call=call, at=now, kind="agent_answered", state=call.state,
                              detail={"agent": agent.username}))


def talk_ended(session: Session, call: Call, agent: Staff, now: dt.datetime,
               talk_seconds: int, wrap_up_seconds: int) -> None:
    """The agent's talk with the caller is over: wrap-up follows, then available again."""
    if call.answered_at is None:
        call.answered_at = now - dt.timedelta(seconds=talk_seconds)
    call.talk_seconds = talk_seconds
    session.add(CallEvent(call=call, at=now, kind="agent_talk_ended", state=call.state,
                          detail={"agent": agent.username, "talk_seconds": talk_seconds}))
    release(agent, now, wrap_up_seconds)


def release(agent: Staff, now: dt.datetime, wrap_up_seconds: int) -> None:
    """An agent's call is over: wrap-up for the configured time, or available at once."""
    if agent.status != "on_call":
        return
    agent.status_reason = None
    agent.status_since = now
    if wrap_up_seconds > 0:
        agent.status = "wrap_up"
        agent.wrap_up_until = now + dt.timedelta(seconds=wrap_up_seconds)
    else:
        agent.status = "available"
        agent.wrap_up_until = None


def not_answered(session: Session, call: Call, agent: Optional[Staff], now: dt.datetime,
                 dial_status: str) -> None:
    """The agent's phone was not answered: the caller goes back to their place in line.

    The ringing counts as waiting (free for the caller), and the agent is paused so that
    routing does not ring the same phone again.
    """
    if call.agent_offered_at is not None:
        ringing = max(0, math.ceil((now - call.agent_offered_at).total_seconds()))
        call.queue_seconds = (call.queue_seconds or 0) + ringing
    call.queued_since = call.queued_since or call.enqueued_at
    call.agent_id = None
    session.add(CallEvent(call=call, at=now, kind="agent_not_answered", state=call.state,
                          detail={"agent": agent.username if agent else None,
                                  "dial_status": dial_status}))
    if agent is not None and agent.status == "on_call":
        agent.status = "paused"
        agent.status_reason = MISSED_CALL_REASON
        agent.status_since = now


def caller_gone(session: Session, call: Call, now: dt.datetime, wrap_up_seconds: int) -> None:
    """The caller's call ended: free the agent who had it, if still on it."""
    agent = call.agent
    if agent is None or agent.status != "on_call" or call_in_hand(session, agent) is not call:
        return
    if call.answered_at is not None and call.talk_seconds is None:
        talk = max(0, math.ceil((now - call.answered_at).total_seconds()))
        talk_ended(session, call, agent, now, talk, wrap_up_seconds)
    else:
        release(agent, now, 0 if call.answered_at is None else wrap_up_seconds)
