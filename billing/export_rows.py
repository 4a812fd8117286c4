"""The rated calls of a month, streamed from the database for the exports."""
from __future__ import annotations

from typing import Iterator

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from billing.models import ChargeRecord
from billing.months import Month
from ivr.models import Call, Customer

#: Rows fetched per round trip; PostgreSQL streams them through a server-side cursor.
FETCH_SIZE = 2000


def month_rows(session: Session, month: Month) -> Iterator[Row]:
    """Each rated call that started in the month, by start time, with its charge record.

    Row attributes: call_sid, started_at, ended_at, caller, customer_number, line_type,
    line_type_flagged, tariff_name, billable_seconds, billed_units, price_per_minute, net,
    vat, gross, zero_reason.
    """
    query = (
        select(Call.call_sid, Call.started_at, Call.ended_at, Call.caller,
               Customer.customer_number, ChargeRecord.line_type, ChargeRecord.line_type_flagged,
               ChargeRecord.tariff_name, ChargeRecord.billable_seconds, ChargeRecord.billed_units,
               ChargeRecord.price_per_minute, ChargeRecord.net, ChargeRecord.vat,
               ChargeRecord.gross, ChargeRecord.zero_reason)
        .join(ChargeRecord, ChargeRecord.call_id == Call.id)
        .outerjoin(Customer, Customer.id == Call.customer_id)
        .where(Call.started_at >= month.start, Call.started_at < month.end)
        .order_by(Call.started_at, Call.id)
        .execution_options(yield_per=FETCH_SIZE)
    )
    yield from session.execute(query)
