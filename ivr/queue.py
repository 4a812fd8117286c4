"""The support queue as the database sees it: who waits, in which order, expected waits.

The order is ours, not Twilio's: agents take callers by redirecting them out of Twilio's
queue, so the database decides who is next. Callers whose activation failed come first,
then everyone by their place in line (when they first entered the queue; a caller whose
agent did not answer keeps it).
"""
from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.orm import Session

from ivr.db import as_utc
from ivr.models import Call

#: Intents served before all others.
PRIORITY_INTENTS = ("activation_failed",)

#: How far back answered callers count for the expected wait.
RECENT = dt.timedelta(hours=1)
ANSWERED_RESULTS = ("bridged", "bridging-in-process", "redirected")


def has_left(call: Call) -> bool:
    """Whether the Enqueue action already closed the call's latest stint in the queue."""
    return call.left_queue_at is not None and (
        call.enqueued_at is None or call.left_queue_at >= call.enqueued_at
    )


def is_waiting() -> ColumnElement[bool]:
    """In the queue now: entered it, not left since, not ended, not with an agent."""
    return and_(
        Call.enqueued_at.is_not(None),
        Call.ended_at.is_(None),
        or_(Call.left_queue_at.is_(None), Call.left_queue_at < Call.enqueued_at),
        Call.agent_id.is_(None),
    )


def queue_length(session: Session) -> int:
    """How many callers are in the queue now."""
    return session.scalar(select(func.count(Call.id)).where(is_waiting())) or 0


def place_in_line() -> ColumnElement:
    """When the caller first entered the queue."""
    return func.coalesce(Call.queued_since, Call.enqueued_at)


def priority() -> ColumnElement[int]:
    """0 for callers served first, 1 for everyone else."""
    return case((Call.intent.in_(PRIORITY_INTENTS), 0), else_=1)


def waiting_callers(session: Session, limit: int | None = None) -> list[Call]:
    """The callers in the queue, next first."""
    query = select(Call).where(is_waiting()).order_by(priority(), place_in_line(), Call.id)
    return list(session.scalars(query.limit(limit) if limit else query))


def waiting_ahead(session: Session, call: Call) -> int:
    """How many callers in the queue come before this one."""
    rank = 0 if call.intent in PRIORITY_INTENTS else 1
    place = call.queued_since or call.enqueued_at
    return session.scalar(
        select(func.count(Call.id)).where(
            is_waiting(),
            Call.id != call.id,
            or_(
                priority() < rank,
                and_(priority() == rank,
                     or_(place_in_line() < place, and_(place_in_line() == place, Call.id < call.id))),
            ),
        )
    ) or 0


def seconds_per_position(session: Session, now: dt.datetime, default: int) -> int:
    """The mean time between two callers reaching an agent in the last hour, or the default.

    With n departures from the queue, that is the span from the first to the last over n - 1.
    """
    answered, first, last = session.execute(
        select(func.count(Call.id), func.min(Call.left_queue_at), func.max(Call.left_queue_at))
        .where(Call.left_queue_at >= now - RECENT, Call.queue_result.in_(ANSWERED_RESULTS))
    ).one()
    if answered < 2:
        return default
    span = (as_utc(last) - as_utc(first)).total_seconds()
    return max(1, math.ceil(span / (answered - 1)))


def expected_wait_seconds(session: Session, position: int, now: dt.datetime, default: int) -> int:
    """The expected wait of a caller at the position (1 = next)."""
    return max(1, position) * seconds_per_position(session, now, default)
