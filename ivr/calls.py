"""Calls: the row of each CallSid, opened by the first webhook, closed by status callbacks."""
from __future__ import annotations

import datetime as dt
import email.utils
from typing import Mapping, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ivr.models import Call, CallEvent, StatusCallback
from ivr.phone import caller_line

FINAL_STATUSES = ("completed", "busy", "failed", "no-answer", "canceled")
MAX_SID = 64


def find_call(session: Session, call_sid: str) -> Optional[Call]:
    """The call with that CallSid, if known."""
    return session.scalar(select(Call).where(Call.call_sid == call_sid))


def open_call(session: Session, params: Mapping[str, str], now: dt.datetime,
              language: str) -> tuple[Call, bool]:
    """The call of the request's CallSid, created on first sight; True if it was created."""
    call_sid = params["CallSid"][:MAX_SID]
    call = find_call(session, call_sid)
    if call is not None:
        return call, False
    caller, line_type = caller_line(params.get("From"))
    call = Call(call_sid=call_sid, caller=caller, line_type=line_type,
                called=(params.get("To") or "")[:40] or None, language=language,
                started_at=now)
    try:
        with session.begin_nested():
            session.add(call)
    except IntegrityError:  # another worker created it at the same moment
        return find_call(session, call_sid), False
    session.add(CallEvent(call=call, at=now, kind="call_started",
                          detail={"line_type": line_type}))
    return call, True


def callback_time(params: Mapping[str, str], fallback: dt.datetime) -> dt.datetime:
    """The callback's own Timestamp (RFC 2822), or when it arrived."""
    try:
        moment = email.utils.parsedate_to_datetime(params.get("Timestamp") or "")
    except (TypeError, ValueError):
        return fallback
    if moment is None or moment.tzinfo is None:
        return fallback
    return moment.astimezone(dt.timezone.utc)


def _int(value: Optional[str], default: Optional[int]) -> Optional[int]:
    try:
        return int(value) if value is not None and len(value) < 12 else default
    except ValueError:
        return default


def record_status(session: Session, params: Mapping[str, str], now: dt.datetime,
                  language: str) -> tuple[Call, bool]:
    """Store a status callback; True if it just made the call final.

    The raw callback is always kept, each one once (a repeated delivery is not stored
    again). The same callback twice, another final one, or a non-final one after the final
    one changes the call no further: the first final callback locks the call's row while it
    ends the call, so that of final callbacks arriving together exactly one does.
    """
    status = (params.get("CallStatus") or "unknown")[:16]
    sequence = _int(params.get("SequenceNumber"), -1)
    try:
        with session.begin_nested():
            session.add(StatusCallback(call_sid=params["CallSid"][:MAX_SID], call_status=status,
                                       sequence_number=sequence, received_at=now,
                                       payload={k: v[:1000] for k, v in params.items()}))
    except IntegrityError:
        call, _ = open_call(session, params, now, language)
        return call, False
    call, _ = open_call(session, params, now, language)
    if status not in FINAL_STATUSES:
        return call, False
    session.refresh(call, with_for_update=True)  # of final callbacks at once, one ends the call
    if call.status in FINAL_STATUSES:
        return call, False
    call.status = status
    call.duration_seconds = _int(params.get("CallDuration"), None)
    call.ended_at = callback_time(params, now)
    session.add(CallEvent(call=call, at=now, kind="call_ended",
                          detail={"status": status, "duration": call.duration_seconds}))
    return call, True
