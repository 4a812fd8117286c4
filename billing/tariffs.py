"""The tariff table: which price applies to a call, and what the greeting announces."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from billing.models import Tariff


class NoTariff(LookupError):
    """No tariff in the table is valid for the line type at that moment."""


def valid_at(moment: dt.datetime):
    """The condition for tariffs valid at the moment."""
    return (Tariff.valid_from <= moment) & or_(
        Tariff.valid_until.is_(None), Tariff.valid_until > moment
    )


def tariff_for(session: Session, line_type: str, moment: dt.datetime) -> Tariff:
    """The tariff in force for a line type: its own row first, then one for any line.

    An unclassified line (`unknown`) is priced as a fixed line.
    """
    wanted = "fixed" if line_type not in ("fixed", "mobile") else line_type
    rows = session.scalars(
        select(Tariff)
        .where(valid_at(moment), Tariff.line_type.in_([wanted, "any"]))
        .order_by((Tariff.line_type == wanted).desc(), Tariff.valid_from.desc(), Tariff.id.desc())
    ).first()
    if rows is None:
        raise NoTariff(f"no tariff for {wanted} lines valid at {moment.isoformat()}")
    return rows


def announced_prices(session: Session, moment: dt.datetime) -> tuple[Decimal, Decimal]:
    """The per-minute prices the greeting announces: from landlines, and the mobile maximum."""
    fixed = tariff_for(session, "fixed", moment).price_per_minute
    mobile = tariff_for(session, "mobile", moment).price_per_minute
    return fixed, max(fixed, mobile)
