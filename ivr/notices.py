"""Outage and maintenance notices that the hotline announces."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ivr.models import Notice

KINDS = ("outage", "maintenance")


def active_notices(session: Session, moment: dt.datetime) -> list[Notice]:
    """The notices in force at the moment, newest first."""
    return list(
        session.scalars(
            select(Notice)
            .where(Notice.starts_at <= moment, or_(Notice.ends_at.is_(None), Notice.ends_at > moment))
            .order_by(Notice.starts_at.desc(), Notice.id.desc())
        )
    )


def add_notice(
    session: Session,
    kind: str,
    text_de: str,
    starts_at: dt.datetime,
    ends_at: Optional[dt.datetime] = None,
    text_en: Optional[str] = None,
) -> Notice:
    """Add a notice; the kind is `outage` or `maintenance`."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not text_de.strip():
        raise ValueError("a notice needs a text")
    if ends_at is not None and ends_at <= starts_at:
        raise ValueError("a notice must end after it starts")
    notice = Notice(kind=kind, text_de=text_de.strip(), text_en=(text_en or "").strip() or None,
                    starts_at=starts_at, ends_at=ends_at)
    session.add(notice)
    return notice
