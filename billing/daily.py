"""A month's charges per UTC day: calls, billable time and gross revenue, summed in SQL.

The days are those of the calls' start in UTC, as in the exports, and every day of the
month is listed, days without calls with zeros.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Integer, cast, func, literal_column, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Float

from billing.models import ChargeRecord
from billing.months import Month
from ivr.models import Call

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Day:
    """The charges of the calls that started on one UTC day."""

    day: dt.date
    calls: int
    billable_seconds: int
    gross: Decimal

    @property
    def minutes(self) -> Decimal:
        """Billable minutes, to a tenth, rounded half-up."""
        return (Decimal(self.billable_seconds) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


def utc_day(column, dialect: str) -> ColumnElement:
    """The UTC calendar day of a timestamp column, in SQL."""
    if dialect == "sqlite":
        return func.date(column)  # stored as naive UTC text
    return func.date(func.timezone(literal_column("'UTC'"), column))


def gross_cents(dialect: str) -> ColumnElement:
    """The sum of the gross amounts in whole cents (SQLite keeps money as text)."""
    if dialect == "sqlite":
        cents = func.round(type_coerce(ChargeRecord.gross, Float) * 100)
        return func.sum(cast(cents, Integer))
    return cast(func.sum(ChargeRecord.gross * 100), Integer)


def as_date(value) -> dt.date:
    """A day as the database returns it (a date, or text on SQLite)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def days_of(month: Month) -> list[dt.date]:
    """Every day of the month."""
    first = month.start.date()
    return [first + dt.timedelta(days=n) for n in range(month.last_day.day)]


def daily_totals(session: Session, month: Month) -> list[Day]:
    """Calls, billable seconds and gross EUR per UTC day of the month, from one grouped query."""
    dialect = session.get_bind().dialect.name
    day = utc_day(Call.started_at, dialect).label("day")
    query = (
        select(day, func.count(ChargeRecord.id), func.coalesce(func.sum(ChargeRecord.billable_seconds), 0),
               gross_cents(dialect))
        .select_from(Call)
        .join(ChargeRecord, ChargeRecord.call_id == Call.id)
        .where(Call.started_at >= month.start, Call.started_at < month.end)
        .group_by(day)
    )
    found = {as_date(row[0]): row for row in session.execute(query)}
    result = []
    for date in days_of(month):
        row = found.get(date)
        if row is None:
            result.append(Day(date, 0, 0, Decimal("0.00")))
        else:
            result.append(Day(date, int(row[1]), int(row[2]), (Decimal(int(row[3] or 0)) * CENT)))
    return result


def month_total(days: list[Day]) -> Day:
    """The month's sum of the days (dated the month's first day)."""
    return Day(days[0].day, sum(d.calls for d in days), sum(d.billable_seconds for d in days),
               sum((d.gross for d in days), Decimal("0.00")))
