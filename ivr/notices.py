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
    notice = Notice()
    change_notice(notice, kind, text_de, starts_at, ends_at, text_en)
    session.add(notice)
    return notice


def change_notice(
    notice: Notice,
    kind: str,
    text_de: str,
    starts_at: dt.datetime,
    ends_at: Optional[dt.datetime] = None,
    text_en: Optional[str] = None,
) -> None:
    """Set a notice's kind, texts and time span, checked as for a new one."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not text_de.strip():
        raise ValueError("a notice needs a text")
    if ends_at is not None and ends_at <= starts_at:
        raise ValueError("a notice must end after it starts")
    notice.kind = kind
    notice.text_de = text_de.strip()
    notice.text_en = (text_en or "").strip() or None
    notice.starts_at = starts_at
    notice.ends_at = ends_at


def end_notice(notice: Notice, now: dt.datetime) -> None:
    """End the notice now: the hotline stops reading it; one still to come never starts."""
    if notice.ends_at is None or notice.ends_at > now:
        notice.starts_at = min(notice.starts_at, now)
        notice.ends_at = now


def notices_not_ended(session: Session, moment: dt.datetime) -> list[Notice]:
    """The notices in force or still to come, by start."""
    return list(
        session.scalars(
            select(Notice)
            .where(or_(Notice.ends_at.is_(None), Notice.ends_at > moment))
            .order_by(Notice.starts_at, Notice.id)
        )
    )
