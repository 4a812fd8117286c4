"""Billing jobs: rating a finished call into its one charge record."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from billing.models import ChargeRecord
from billing.rating import rate, tariff_of
from ivr.calls import find_call
from ivr.db import new_session, utcnow
from ivr.jobs import job_app
from ivr.models import Call


def rate_call(call_sid: str) -> None:
    """Rate the call once; running it again for a rated call changes nothing."""
    with job_app(), new_session() as session:
        with session.begin():
            call = find_call(session, call_sid)
            if call is None or call.ended_at is None:
                return
            if session.scalar(select(ChargeRecord.id).where(ChargeRecord.call_id == call.id)):
                return
            record = charge_record(session, call)
            try:
                with session.begin_nested():
                    session.add(record)
            except IntegrityError:  # rated by another worker at the same moment
                return


def charge_record(session, call: Call) -> ChargeRecord:
    """A new charge record for the call, rated by its tariff."""
    tariff = tariff_of(session, call)
    rating = rate(call, tariff)
    return ChargeRecord(
        call_id=call.id, tariff_id=tariff.id, tariff_name=tariff.name,
        line_type=call.line_type if call.line_type in ("fixed", "mobile") else "fixed",
        line_type_flagged=call.line_type not in ("fixed", "mobile"),
        billable_seconds=rating.billable_seconds, billed_units=rating.billed_units,
        price_per_minute=rating.price_per_minute, net=rating.net, vat=rating.vat,
        gross=rating.gross, zero_reason=rating.zero_reason, rated_at=utcnow(),
    )
