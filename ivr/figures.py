"""Queue figures for supervisors: now, today, the last 15 minutes, and per hour.

| figure              | meaning                                                         |
|---------------------|-----------------------------------------------------------------|
| waiting, longest wait | callers in the queue now, and how long the first has waited   |
| agents by status    | how many agents are offline, available, paused, on a call, wrapping up |
| answered            | calls an agent picked up in the window                          |
| abandoned           | callers who hung up in the queue in the window (QueueResult hangup) |
| service level       | answered within SERVICE_LEVEL_SECONDS of entering the queue / answered |
| speed of answer     | mean time from entering the queue to an agent picking up        |
| talk time           | mean length of the finished talks among the answered            |
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ivr.agents import CALL_ROLES, STATUSES
from ivr.db import as_utc
from ivr.models import Call, Staff
from ivr.queue import is_waiting, place_in_line, queue_length

LAST_MINUTES = 15


@dataclass(frozen=True)
class Window:
    """The figures of one span of time."""

    answered: int
    abandoned: int
    service_level: Optional[float]  # 0..1, None when nothing was answered
    average_answer_seconds: Optional[float]
    average_talk_seconds: Optional[float]


@dataclass(frozen=True)
class Hour:
    """One bar pair of the chart: an hour of the day (local time)."""

    hour: int
    answered: int
    abandoned: int


@dataclass(frozen=True)
class Figures:
    """Everything the supervisor page shows."""

    waiting: int
    longest_wait_seconds: int
    agents: dict[str, int]
    today: Window
    recent: Window
    hours: list[Hour] = field(default_factory=list)


def _mean(values: list[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def window(session: Session, since: dt.datetime, until: dt.datetime,
           service_seconds: int) -> Window:
    """The figures of calls answered or abandoned from `since` until `until`."""
    answered = session.execute(
        select(Call.answered_at, place_in_line(), Call.talk_seconds)
        .where(Call.answered_at >= since, Call.answered_at < until)
    ).all()
    abandoned = session.scalar(
        select(func.count(Call.id)).where(Call.queue_result == "hangup",
                                          Call.left_queue_at >= since, Call.left_queue_at < until)
    ) or 0
    waits = [max(0.0, (answered_at - as_utc(place)).total_seconds())
             for answered_at, place, _talk in answered if place is not None]
    talks = [float(talk) for _at, _place, talk in answered if talk is not None]
    level = (sum(1 for wait in waits if wait <= service_seconds) / len(waits)) if waits else None
    return Window(answered=len(answered), abandoned=abandoned, service_level=level,
                  average_answer_seconds=_mean(waits), average_talk_seconds=_mean(talks))


def start_of_day(now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """Midnight of the local day `now` falls on, in UTC."""
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.timezone.utc)


def hours(session: Session, now: dt.datetime, zone: ZoneInfo) -> list[Hour]:
    """Answered and abandoned calls per local hour of today, up to the current hour."""
    since = start_of_day(now, zone)
    answered = session.scalars(select(Call.answered_at).where(Call.answered_at >= since)).all()
    abandoned = session.scalars(select(Call.left_queue_at).where(
        Call.queue_result == "hangup", Call.left_queue_at >= since)).all()
    count = now.astimezone(zone).hour + 1
    per_answered, per_abandoned = [0] * count, [0] * count
    for moment in answered:
        per_answered[min(count - 1, moment.astimezone(zone).hour)] += 1
    for moment in abandoned:
        per_abandoned[min(count - 1, moment.astimezone(zone).hour)] += 1
    return [Hour(h, per_answered[h], per_abandoned[h]) for h in range(count)]


def agents_by_status(session: Session) -> dict[str, int]:
    """How many call-taking staff are in each status."""
    counts = dict(session.execute(
        select(Staff.status, func.count(Staff.id)).where(Staff.role.in_(CALL_ROLES))
        .group_by(Staff.status)
    ).all())
    return {status: counts.get(status, 0) for status in STATUSES}


def figures(session: Session, now: dt.datetime, zone: ZoneInfo, service_seconds: int) -> Figures:
    """The supervisor's figures at the moment."""
    first = session.scalar(select(func.min(place_in_line())).where(is_waiting()))
    waiting = queue_length(session)
    longest = int((now - as_utc(first)).total_seconds()) if first is not None else 0
    return Figures(
        waiting=waiting,
        longest_wait_seconds=max(0, longest),
        agents=agents_by_status(session),
        today=window(session, start_of_day(now, zone), now + dt.timedelta(seconds=1), service_seconds),
        recent=window(session, now - dt.timedelta(minutes=LAST_MINUTES), now + dt.timedelta(seconds=1),
                      service_seconds),
        hours=hours(session, now, zone),
    )
