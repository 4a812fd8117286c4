"""Billing tables: tariffs with validity dates, charge records and their change audit."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ivr.db import Base, Money, UTCDateTime


class Tariff(Base):
    """A price per minute (incl. VAT) for a line type or a 0900 price digit, for a time span."""

    __tablename__ = "tariffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    line_type: Mapped[Optional[str]] = mapped_column(String(16))  # fixed | mobile | any
    price_digit: Mapped[Optional[int]] = mapped_column(Integer)
    price_per_minute: Mapped[Decimal] = mapped_column(Money)
    vat_rate: Mapped[Decimal] = mapped_column(Money)
    first_step_seconds: Mapped[int] = mapped_column(Integer, default=60)
    step_seconds: Mapped[int] = mapped_column(Integer, default=60)
    cap_per_call: Mapped[Optional[Decimal]] = mapped_column(Money)
    valid_from: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)


class Rated:
    """The columns of a rating, shared by a charge record and the audit of its old values."""

    tariff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("tariffs.id"))
    tariff_name: Mapped[Optional[str]] = mapped_column(String(64))
    line_type: Mapped[str] = mapped_column(String(16))
    line_type_flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    billable_seconds: Mapped[int] = mapped_column(Integer)
    billed_units: Mapped[int] = mapped_column(Integer)
    price_per_minute: Mapped[Decimal] = mapped_column(Money)
    net: Mapped[Decimal] = mapped_column(Money)
    vat: Mapped[Decimal] = mapped_column(Money)
    gross: Mapped[Decimal] = mapped_column(Money)
    zero_reason: Mapped[Optional[str]] = mapped_column(String(120))
    rated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ChargeRecord(Rated, Base):
    """The rated result of one call: billable time, tariff, amounts, or why it is free."""

    __tablename__ = "charge_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), unique=True)


class ChargeRecordChange(Rated, Base):
    """The values a charge record had before a re-rating replaced them, and why."""

    __tablename__ = "charge_record_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    charge_record_id: Mapped[int] = mapped_column(ForeignKey("charge_records.id"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    cause: Mapped[str] = mapped_column(String(64))
