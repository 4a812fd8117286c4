"""The per-call CSV export: one row per rated call of a month, streamed."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Iterable, Iterator, Optional

from sqlalchemy import Row

COLUMNS = ("call_sid", "started_at", "ended_at", "caller", "line_type", "customer_number",
           "tariff", "billable_seconds", "billed_units", "price_per_minute", "net_eur",
           "vat_eur", "gross_eur", "zero_reason")
#: Rows written per chunk the generator yields.
CHUNK_ROWS = 1000


def masked(number: Optional[str]) -> str:
    """The caller's number with its last three digits hidden: +4923819738XXX."""
    if not number:
        return ""
    return number[:-3] + "XXX" if len(number) > 3 else "XXX"


def amount(value: Decimal) -> str:
    """An amount with a dot and two decimals: 0.90."""
    return f"{value:.2f}"


def utc_time(moment) -> str:
    """A UTC time to the second: 2026-11-25T10:00:42Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def csv_row(row: Row) -> tuple:
    """The CSV fields of one exported call."""
    return (row.call_sid, utc_time(row.started_at), utc_time(row.ended_at), masked(row.caller),
            row.line_type, row.customer_number or "", row.tariff_name or "",
            row.billable_seconds, row.billed_units, amount(row.price_per_minute),
            amount(row.net), amount(row.vat), amount(row.gross), row.zero_reason or "")


def csv_chunks(rows: Iterable[Row]) -> Iterator[str]:
    """The CSV text, header first, in chunks of CHUNK_ROWS rows (UTF-8, LF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows, start=1):
        writer.writerow(csv_row(row))
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
