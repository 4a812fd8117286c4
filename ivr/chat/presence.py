"""Whether the chat is online: at least one staff member has it open and is available.

An open staff chat renews its heartbeat (`seen_at`); a heartbeat older than
CHAT_PRESENCE_SECONDS no longer counts, so a closed browser takes the chat offline by
itself. There are no fixed hours.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from ivr.models import ChatPresence


def set_available(session: Session, staff_id: int, available: bool, now: dt.datetime) -> ChatPresence:
    """The staff member switches "available for chat" on or off; also a heartbeat."""
    presence = session.get(ChatPresence, staff_id)
    if presence is None:
        presence = ChatPresence(staff_id=staff_id)
        session.add(presence)
    presence.available = available
    presence.seen_at = now
    session.flush()
    return presence


def heartbeat(session: Session, staff_id: int, now: dt.datetime) -> None:
    """The staff member still has the chat open (their switch stays as it is)."""
    session.execute(update(ChatPresence).where(ChatPresence.staff_id == staff_id)
                    .values(seen_at=now).execution_options(synchronize_session=False))


def switched_on(session: Session, staff_id: int) -> bool:
    """Whether the staff member's "available for chat" switch is on (it counts while their
    chat is open)."""
    presence = session.get(ChatPresence, staff_id)
    return bool(presence and presence.available)


def chat_online(session: Session, now: dt.datetime, ttl_seconds: int) -> bool:
    """Whether someone of support has the chat open and is available for chat."""
    since = now - dt.timedelta(seconds=ttl_seconds)
    return bool(session.scalar(select(exists().where(
        ChatPresence.available.is_(True), ChatPresence.seen_at >= since))))
