"""The rated calls of a month, streamed from the database for the exports."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Iterator

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


@dataclass
class Totals:
    """Sums over exported calls."""

    calls: int = 0
    seconds: int = 0
    net: Decimal = Decimal("0")
    vat: Decimal = Decimal("0")
    gross: Decimal = Decimal("0")

    def add(self, calls: int, seconds: int, net: Decimal, vat: Decimal, gross: Decimal) -> None:
        """Add the sums of some calls."""
        self.calls += calls
        self.seconds += seconds
        self.net += net
        self.vat += vat
        self.gross += gross

    def add_row(self, row: Row) -> None:
        """Add one exported call."""
        self.add(1, row.billable_seconds, row.net, row.vat, row.gross)


def totals_per_day(rows: Iterable[Row], key: Callable[[Row], str]
                   ) -> Iterator[tuple[dt.date, str, Totals]]:
    """(UTC day, key, totals) per day and key, from rows by start time: one day in memory."""
    day, totals = None, {}
    for row in rows:
        row_day = row.started_at.date()
        if row_day != day:
            yield from ((day, name, totals[name]) for name in sorted(totals))
            day, totals = row_day, {}
        totals.setdefault(key(row), Totals()).add_row(row)
    yield from ((day, name, totals[name]) for name in sorted(totals))
