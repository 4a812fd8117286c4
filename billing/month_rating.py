"""Rating the finished calls of a month in batches: catching up and re-rating.

`hotline billing rate --month` rates the month's finished calls that have no record yet
(a job that was lost, a database restored); `hotline billing rerate --month` rates every
finished call of the month again after a tariff fix, replacing records whose values change
and keeping their old values in the audit. Both run batch by batch, one transaction each,
so a month of a million calls never sits in memory and an interrupted run can be repeated.
A rating job that writes a call's record while the batch runs wins; the batch does not fail.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from billing.models import ChargeRecord
from billing.months import Month
from billing.records import Rater
from ivr.models import Call

BATCH_SIZE = 2000
#: INSERT ... ON CONFLICT for the databases that have it.
ON_CONFLICT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class Batch:
    """What one batch did: calls rated, records created or changed, the last call's id."""

    calls: int
    written: int
    last_call_id: int


def rate_batch(session: Session, rater: Rater, month: Month, after_call_id: int,
               only_unrated: bool, cause: str) -> Batch:
    """Rate the month's next finished calls after `after_call_id` (by id)."""
    query = (select(Call)
             .where(Call.started_at >= month.start, Call.started_at < month.end,
                    Call.ended_at.is_not(None), Call.id > after_call_id)
             .order_by(Call.id).limit(BATCH_SIZE))
    if only_unrated:
        query = query.where(~exists().where(ChargeRecord.call_id == Call.id))
    calls = list(session.scalars(query))
    if not calls:
        return Batch(0, 0, after_call_id)
    records = {record.call_id: record for record in session.scalars(
        select(ChargeRecord).where(ChargeRecord.call_id.in_([call.id for call in calls])))}
    created = insert_new_records(
        session, [rater.new_record(call) for call in calls if call.id not in records])
    changed = sum(rater.replace(session, records[call.id], rater.values(call), cause)
                  for call in calls if call.id in records)
    return Batch(len(calls), created + changed, calls[-1].id)


def insert_new_records(session: Session, rows: list[dict]) -> int:
    """Insert charge records in one statement; a call that a rating job gave its record
    meanwhile keeps that one (same values: rating is a function of the call). Returns how
    many were inserted."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect not in ON_CONFLICT_INSERTS:  # no conflict clause: plain insert
        session.execute(insert(ChargeRecord), rows)
        return len(rows)
    statement = ON_CONFLICT_INSERTS[dialect](ChargeRecord).on_conflict_do_nothing(
        index_elements=[ChargeRecord.call_id])
    result = session.connection().execute(statement, rows)
    return result.rowcount if result.rowcount >= 0 else len(rows)
