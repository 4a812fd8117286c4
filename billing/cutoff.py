"""The 60-minute cut-off (§ 113 TKG): the hotline ends its own calls 60 minutes after they start.

With Redis, each new call schedules a job for that moment (rq runs it on a worker started
with `--with-scheduler`). Without Redis, and as a safety net beside it, `hotline billing
cutoff` ends every call that is still open after 60 minutes; run it every minute (cron or a
systemd timer). Each call is cut off at most once: the attempt is kept as a `cut_off`
event of the call, with its outcome.
"""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ivr import jobs, telephony
from ivr.db import new_session, utcnow
from ivr.jobs import job_app
from ivr.models import Call, CallEvent

log = logging.getLogger(__name__)

CUT_OFF_AFTER = dt.timedelta(minutes=60)
CUT_OFF_JOB = "billing.cutoff.cut_off_call"
CUT_OFF_EVENT = "cut_off"


def schedule_cut_off(call: Call) -> bool:
    """Schedule the call's cut-off job; False when there is no scheduler (no Redis)."""
    return jobs.schedule(call.started_at + CUT_OFF_AFTER, CUT_OFF_JOB, call.call_sid,
                         job_id=f"cutoff-{call.call_sid}")


def attempted(call_id):
    """The condition that a cut-off of the call was already tried."""
    return exists().where(CallEvent.call_id == call_id, CallEvent.kind == CUT_OFF_EVENT)


def is_due(session: Session, call: Call, now: dt.datetime) -> bool:
    """Whether the call is still open, 60 minutes old, and not yet cut off."""
    return (call.ended_at is None and call.started_at + CUT_OFF_AFTER <= now
            and not session.scalar(select(attempted(call.id))))


def cut_off(session: Session, call: Call, now: dt.datetime) -> bool:
    """End the call through the provider and note the attempt; True if the provider agreed."""
    try:
        telephony.hang_up(call.call_sid)
    except telephony.TelephonyError as exc:
        log.warning("cut-off of call %s failed: %s", call.call_sid, exc)
        session.add(CallEvent(call=call, at=now, kind=CUT_OFF_EVENT, state=call.state,
                              detail={"ok": False, "error": str(exc)[:500]}))
        return False
    log.info("call %s cut off after %s", call.call_sid, CUT_OFF_AFTER)
    session.add(CallEvent(call=call, at=now, kind=CUT_OFF_EVENT, state=call.state,
                          detail={"ok": True}))
    return True


def due_calls(session: Session, now: dt.datetime) -> list[Call]:
    """The open calls that reached 60 minutes and were not cut off yet."""
    return list(session.scalars(
        select(Call)
        .where(Call.ended_at.is_(None), Call.started_at <= now - CUT_OFF_AFTER,
               ~attempted(Call.id))
        .order_by(Call.started_at)
    ))


def cut_off_call(call_sid: str) -> None:
    """The scheduled job: cut off the call if it is still open and due."""
    with job_app(), new_session() as session, session.begin():
        call = session.scalar(select(Call).where(Call.call_sid == call_sid).with_for_update())
        now = utcnow()
        if call is not None and is_due(session, call, now):
            cut_off(session, call, now)
