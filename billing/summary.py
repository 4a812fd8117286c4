"""The summary export: a month's totals per day and line type, and per customer number.

CSV in two sections separated by an empty line, each with its header and a total line.
Calls of callers who gave no customer number are summed last, under an empty customer number.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Iterator

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from billing.csv_export import amount
from billing.models import ChargeRecord
from billing.months import Month
from ivr.models import Call, Customer

DAY_COLUMNS = ("day", "line_type", "calls", "billable_seconds", "net_eur", "vat_eur", "gross_eur")
CUSTOMER_COLUMNS = ("customer_number", "calls", "billable_seconds", "net_eur", "vat_eur",
                    "gross_eur")


@dataclass
class Totals:
    """Sums over calls."""

    calls: int = 0
    seconds: int = 0
    net: Decimal = Decimal("0")
    vat: Decimal = Decimal("0")
    gross: Decimal = Decimal("0")

    def add(self, calls: int, seconds: int, net: Decimal, vat: Decimal, gross: Decimal) -> None:
        self.calls += calls
        self.seconds += seconds
        self.net += net
        self.vat += vat
        self.gross += gross

    def fields(self) -> tuple:
        return self.calls, self.seconds, amount(self.net), amount(self.vat), amount(self.gross)


def day_line_totals(rows: Iterable[Row]) -> Iterator[tuple[str, str, Totals]]:
    """(day, line type, totals) from rows ordered by start time, one day in memory at a time."""
    day, totals = None, {}
    for row in rows:
        row_day = row.started_at.date().isoformat()
        if row_day != day:
            yield from ((day, kind, totals[kind]) for kind in sorted(totals))
            day, totals = row_day, {}
        totals.setdefault(row.line_type, Totals()).add(1, row.billable_seconds, row.net,
                                                       row.vat, row.gross)
    yield from ((day, kind, totals[kind]) for kind in sorted(totals))


def customer_totals(session: Session, month: Month) -> Iterator[Row]:
    """Per customer number: calls, billable seconds and amounts, summed by the database."""
    query = (
        select(Customer.customer_number, func.count(ChargeRecord.id),
               func.sum(ChargeRecord.billable_seconds), func.sum(ChargeRecord.net),
               func.sum(ChargeRecord.vat), func.sum(ChargeRecord.gross))
        .select_from(Call)
        .join(ChargeRecord, ChargeRecord.call_id == Call.id)
        .outerjoin(Customer, Customer.id == Call.customer_id)
        .where(Call.started_at >= month.start, Call.started_at < month.end)
        .group_by(Customer.customer_number)
        .order_by(Customer.customer_number.asc().nulls_last())
    )
    yield from session.execute(query)


def money(value) -> Decimal:
    """A summed amount as Decimal (SQLite sums the text column as a float)."""
    return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else Decimal("0")


def summary_chunks(session: Session, rows: Iterable[Row], month: Month) -> Iterator[str]:
    """The summary CSV: per day and line type, then per customer number."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(DAY_COLUMNS)
    total = Totals()
    for day, line_type, totals in day_line_totals(rows):
        writer.writerow((day, line_type, *totals.fields()))
        total.add(totals.calls, totals.seconds, totals.net, totals.vat, totals.gross)
        yield flush()
    writer.writerow(("total", "", *total.fields()))
    writer.writerow(())
    writer.writerow(CUSTOMER_COLUMNS)
    total = Totals()
    for number, calls, seconds, net, vat, gross in customer_totals(session, month):
        totals = Totals()
        totals.add(calls, int(seconds or 0), money(net), money(vat), money(gross))
        writer.writerow((number or "", *totals.fields()))
        total.add(totals.calls, totals.seconds, totals.net, totals.vat, totals.gross)
    writer.writerow(("total", *total.fields()))
    yield flush()
