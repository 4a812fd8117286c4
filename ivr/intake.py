"""The intake's raw store: everything received is kept as it came, before it is read."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.db import utcnow
from ivr.models import IntakeItem

#: How long an item may stay unprocessed before the check reports it.
STUCK_AFTER = dt.timedelta(minutes=10)


def store_raw(session: Session, *, channel: str, source: str, raw: bytes,
              external_id: Optional[str] = None,
              content_type: Optional[str] = None,
              meta: Optional[Mapping[str, Any]] = None) -> IntakeItem:
    """Keep what was received, exactly as it came; the caller commits at once."""
    item = IntakeItem(channel=channel, source=source, raw=raw, received_at=utcnow(),
                      external_id=(external_id or None) and external_id[:100],
                      content_type=(content_type or None) and content_type[:200],
                      meta=dict(meta or {}), status="received")
    session.add(item)
    session.flush()
    return item


def mark_failed(session: Session, item_id: int, error: BaseException) -> None:
    """Record that reading a stored item failed; it stays stored for another try."""
    item = session.get(IntakeItem, item_id)
    item.status = "failed"
    item.error = f"{type(error).__name__}: {error}"[:2000]


def stuck_items(session: Session, now: dt.datetime) -> list[IntakeItem]:
    """Items that failed, or were received but not read for a while, oldest first."""
    return list(session.scalars(
        select(IntakeItem)
        .where((IntakeItem.status == "failed") |
               ((IntakeItem.status == "received") & (IntakeItem.received_at <= now - STUCK_AFTER)))
        .order_by(IntakeItem.received_at, IntakeItem.id)))
