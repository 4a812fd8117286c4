"""Billing jobs: rating a finished call into its one charge record, rating again on news."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.records import Rater, record_of
from billing.tariffs import tariff_table
from ivr.db import new_session, utcnow
from ivr.jobs import job_app
from ivr.models import Call

#: The job that rates a call; enqueued by the final status callback and by a late
#: Enqueue action, safe to run any number of times.
RATE_CALL = "billing.jobs.rate_call"


def rater(session: Session) -> Rater:
    """A rater with the current tariff table and the app's hotline number."""
    return Rater(tariff_table(session), current_app.config["HOTLINE_NUMBER"], utcnow())


def rate_call(call_sid: str) -> None:
    """Rate the finished call, creating or replacing its record; unfinished calls wait."""
    with job_app(), new_session() as session:
        with session.begin():
            call = session.scalar(select(Call).where(Call.call_sid == call_sid).with_for_update())
            if call is None or call.ended_at is None:
                return
            rater(session).record(session, call, record_of(session, call), cause="call changed after rating")
