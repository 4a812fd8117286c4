"""Charge records: one per finished call, written by rating and replaced by re-rating.

Rating is a function of the call's row and the tariff table, so rating the same call again
gives the same values. A record is only rewritten when its values change (late queue
information, a corrected tariff); the values it had are then kept in the audit table
`charge_record_changes` with the cause.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from billing.models import ChargeRecord, ChargeRecordChange
from billing.rating import rate
from billing.tariffs import TariffTable, call_price_digit, priced_line
from ivr.models import Call

#: The values that make up a rating; `rated_at` and the ids of the record and call are not.
RATED_FIELDS = ("tariff_id", "tariff_name", "line_type", "line_type_flagged",
                "billable_seconds", "billed_units", "price_per_minute", "net", "vat",
                "gross", "zero_reason")


@dataclass(frozen=True)
class Rater:
    """Rates calls with one tariff table, for the hotline's number, at one moment."""

    table: TariffTable
    hotline_number: Optional[str]
    now: dt.datetime

    def values(self, call: Call) -> dict[str, Any]:
        """The rated values of a finished call."""
        digit = call_price_digit(call.called, self.hotline_number)
        tariff = self.table.pick(call.line_type, call.started_at, digit)
        rating = rate(call, tariff)
        return {
            "tariff_id": tariff.id, "tariff_name": tariff.name,
            "line_type": priced_line(call.line_type),
            "line_type_flagged": call.line_type not in ("fixed", "mobile"),
            "billable_seconds": rating.billable_seconds, "billed_units": rating.billed_units,
            "price_per_minute": rating.price_per_minute, "net": rating.net, "vat": rating.vat,
            "gross": rating.gross, "zero_reason": rating.zero_reason,
        }

    def new_record(self, call: Call) -> dict[str, Any]:
        """The columns of a new charge record for the call."""
        return {"call_id": call.id, "rated_at": self.now, **self.values(call)}

    def record(self, session: Session, call: Call, record: Optional[ChargeRecord],
               cause: str) -> bool:
        """Write the call's rating into its record (`record`: the one it has, if any).

        Returns True when a record was created or changed. A new record is inserted in a
        savepoint, so that a worker that rated the same call at the same moment wins
        without failing this transaction.
        """
        if record is None:
            try:
                with session.begin_nested():
                    session.add(ChargeRecord(**self.new_record(call)))
                return True
            except IntegrityError:  # rated by another worker at the same moment
                record = record_of(session, call)
        return self.replace(session, record, self.values(call), cause)

    def replace(self, session: Session, record: ChargeRecord, values: dict[str, Any],
                cause: str) -> bool:
        """Give the record new rated values, its old ones going to the audit; False if equal."""
        if all(getattr(record, name) == value for name, value in values.items()):
            return False
        session.add(ChargeRecordChange(charge_record_id=record.id, changed_at=self.now,
                                       cause=cause[:64], rated_at=record.rated_at,
                                       **{name: getattr(record, name) for name in RATED_FIELDS}))
        for name, value in values.items():
            setattr(record, name, value)
        record.rated_at = self.now
        return True


def record_of(session: Session, call: Call) -> Optional[ChargeRecord]:
    """The call's charge record, if it has one."""
    return session.scalar(select(ChargeRecord).where(ChargeRecord.call_id == call.id))
