"""The summary export: a month's totals per day and line type, and per customer number.

CSV in two sections separated by an empty line, each with its header and a total line.
Calls of callers who gave no customer number are summed last, under an empty customer number.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Iterable, Iterator

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from billing.csv_export import amount
from billing.export_rows import Totals, totals_per_day
from billing.models import ChargeRecord
from billing.months import Month
from ivr.models import Call, Customer

DAY_COLUMNS = ("day", "line_type", "calls", "billable_seconds", "net_eur", "vat_eur", "gross_eur")
CUSTOMER_COLUMNS = ("customer_number", "calls", "billable_seconds", "net_eur", "vat_eur",
                    "gross_eur")


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


def fields(totals: Totals) -> tuple:
    """The CSV fields of some totals."""
    return (totals.calls, totals.seconds, amount(totals.net), amount(totals.vat),
            amount(totals.gross))


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
    for day, line_type, totals in totals_per_day(rows, key=lambda row: row.line_type):
        writer.writerow((day.isoformat(), line_type, *fields(totals)))
        total.add(totals.calls, totals.seconds, totals.net, totals.vat, totals.gross)
        yield flush()
    writer.writerow(("total", "", *fields(total)))
    writer.writerow(())
    writer.writerow(CUSTOMER_COLUMNS)
    total = Totals()
    for number, calls, seconds, net, vat, gross in customer_totals(session, month):
        totals = Totals()
        totals.add(calls, int(seconds or 0), money(net), money(vat), money(gross))
        writer.writerow((number or "", *fields(totals)))
        total.add(totals.calls, totals.seconds, totals.net, totals.vat, totals.gross)
    writer.writerow(("total", *fields(total)))
    yield flush()
