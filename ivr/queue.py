"""The support queue as the database sees it: positions and expected waits."""
from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ivr.models import Call

#: How far back answered callers count for the expected wait.
RECENT = dt.timedelta(hours=1)
ANSWERED_RESULTS = ("bridged", "bridging-in-process", "redirected")


def has_left(call: Call) -> bool:
    """Whether the Enqueue action already closed the call's latest stint in the queue."""
    return call.left_queue_at is not None and (
        call.enqueued_at is None or call.left_queue_at >= call.enqueued_at
    )


def waiting_ahead(session: Session, call: Call) -> int:
    """How many callers entered the queue before this one and are still in it."""
    return session.scalar(
        select(func.count(Call.id)).where(
            Call.enqueued_at.is_not(None),
            Call.enqueued_at < call.enqueued_at,
            Call.ended_at.is_(None),
            (Call.left_queue_at.is_(None)) | (Call.left_queue_at < Call.enqueued_at),
        )
    ) or 0


def seconds_per_position(session: Session, now: dt.datetime, default: int) -> int:
    """The mean time between two callers reaching an agent in the last hour, or the default."""
    departures = list(
        session.scalars(
            select(Call.left_queue_at)
            .where(Call.left_queue_at >= now - RECENT, Call.queue_result.in_(ANSWERED_RESULTS))
            .order_by(Call.left_queue_at)
        )
    )
    if len(departures) < 2:
        return default
    span = (departures[-1] - departures[0]).total_seconds()
    return max(1, math.ceil(span / (len(departures) - 1)))


def expected_wait_seconds(session: Session, position: int, now: dt.datetime, default: int) -> int:
    """The expected wait of a caller at the position (1 = next)."""
    return max(1, position) * seconds_per_position(session, now, default)
