"""The tariff table: which price applies to a call, what the greeting announces, and § 112.

A tariff applies either to a line type (`fixed`, `mobile`, `any`) or to every call to a
0900 number with its price digit (the first digit after 0900: +49 9001 ... has digit 1).
For a call the table picks, among the tariffs valid at the call's start: the one for the
number's price digit, else the one for the caller's line type, else one for `any` line;
among several, the latest `valid_from` wins. A caller number that phonenumbers cannot
classify (`unknown`) is priced as a fixed line (and its charge record flagged).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional, Sequence

import phonenumbers
from phonenumbers import NumberParseException
from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.exceptions import NoTariff, TariffRefused
from billing.models import Tariff

LINE_TYPES = ("fixed", "mobile", "any")
#: § 112 TKG: at most 3,00 EUR per minute, time charged in steps of at most 60 seconds.
MAX_PRICE_PER_MINUTE = Decimal("3.00")
MAX_STEP_SECONDS = 60
#: The Bundesnetzagentur's price per minute for each 0900 price digit (since 1 Dec 2024).
DIGIT_PRICES = {0: "0.49", 1: "0.69", 2: "0.99", 3: "1.49", 4: "1.69", 5: "1.99",
                6: "2.29", 7: "2.49", 8: "2.99"}
PREMIUM_PREFIX = "900"


@functools.lru_cache(maxsize=256)  # a hotline is reached on few numbers: parse each once
def price_digit(number: Optional[str]) -> Optional[int]:
    """The price digit of a German 0900 number (+49 900 D ...), None for any other number."""
    try:
        parsed = phonenumbers.parse(number or "", "DE")
    except NumberParseException:
        return None
    national = str(parsed.national_number)
    if parsed.country_code != 49 or not national.startswith(PREMIUM_PREFIX) \
            or len(national) <= len(PREMIUM_PREFIX):
        return None
    return int(national[len(PREMIUM_PREFIX)])


def call_price_digit(called: Optional[str], hotline_number: Optional[str]) -> Optional[int]:
    """The price digit of the number a call reached, or of the hotline's own 0900 number."""
    digit = price_digit(called)
    return digit if digit is not None else price_digit(hotline_number)


def priced_line(line_type: str) -> str:
    """The line type a call is priced as: an unclassified line as a fixed line."""
    return line_type if line_type in ("fixed", "mobile") else "fixed"


def is_valid_at(tariff: Tariff, moment: dt.datetime) -> bool:
    """Whether the tariff is in force at the moment."""
    return tariff.valid_from <= moment and (tariff.valid_until is None or moment < tariff.valid_until)


@dataclass(frozen=True)
class TariffTable:
    """Every tariff, loaded once, to pick the one for each call without a query per call."""

    tariffs: Sequence[Tariff]

    def pick(self, line_type: str, moment: dt.datetime, digit: Optional[int] = None) -> Tariff:
        """The tariff for a call at the moment: price digit, else line type, else `any`."""
        wanted = priced_line(line_type)

        def rank(tariff: Tariff) -> Optional[int]:
            if digit is not None and tariff.price_digit == digit:
                return 0
            if tariff.price_digit is None and tariff.line_type == wanted:
                return 1
            if tariff.price_digit is None and tariff.line_type == "any":
                return 2
            return None

        candidates = [(rank(t), t) for t in self.tariffs if is_valid_at(t, moment)]
        candidates = [(r, t) for r, t in candidates if r is not None]
        if not candidates:
            raise NoTariff(f"no tariff for {wanted} lines valid at {moment.isoformat()}")
        return min(candidates, key=lambda c: (c[0], -c[1].valid_from.timestamp(), -c[1].id))[1]


def tariff_table(session: Session) -> TariffTable:
    """The whole tariff table."""
    return TariffTable(tuple(session.scalars(select(Tariff).order_by(Tariff.id))))


def tariff_for(session: Session, line_type: str, moment: dt.datetime,
               digit: Optional[int] = None) -> Tariff:
    """The tariff in force for a call on that line at the moment (see the module docstring)."""
    return tariff_table(session).pick(line_type, moment, digit)


def announced_prices(session: Session, moment: dt.datetime,
                     digit: Optional[int] = None) -> tuple[Decimal, Decimal]:
    """The per-minute prices the greeting announces: from landlines, and the mobile maximum."""
    table = tariff_table(session)
    fixed = table.pick("fixed", moment, digit).price_per_minute
    mobile = table.pick("mobile", moment, digit).price_per_minute
    return fixed, max(fixed, mobile)


def refusal_reasons(tariff: Tariff) -> list[str]:
    """Why the tariff may not be used (§ 112 TKG and plain sense); empty when it may."""
    reasons = []
    if (tariff.line_type is None) == (tariff.price_digit is None):
        reasons.append("a tariff applies to a line type or to a 0900 price digit, exactly one")
    if tariff.line_type is not None and tariff.line_type not in LINE_TYPES:
        reasons.append(f"line type {tariff.line_type!r} is not one of {', '.join(LINE_TYPES)}")
    if tariff.price_digit is not None:
        expected = DIGIT_PRICES.get(tariff.price_digit)
        if expected is None:
            reasons.append(f"0900 price digit {tariff.price_digit} has no price set by the "
                           "Bundesnetzagentur")
        elif tariff.price_per_minute != Decimal(expected):
            reasons.append(f"0900-{tariff.price_digit} numbers cost {euros(Decimal(expected))} "
                           f"EUR/min (Bundesnetzagentur), not {euros(tariff.price_per_minute)}")
    if tariff.price_per_minute > MAX_PRICE_PER_MINUTE:
        reasons.append(f"§ 112: {euros(tariff.price_per_minute)} EUR/min is above the "
                       f"{euros(MAX_PRICE_PER_MINUTE)} EUR/min cap")
    if tariff.price_per_minute < 0:
        reasons.append("the price per minute is negative")
    if not 0 <= tariff.vat_rate < 1:
        reasons.append(f"VAT rate {tariff.vat_rate} is not a fraction such as 0.19")
    for label, seconds in (("first step", tariff.first_step_seconds), ("step", tariff.step_seconds)):
        if seconds > MAX_STEP_SECONDS:
            reasons.append(f"§ 112: the {label} of {seconds} s is above {MAX_STEP_SECONDS} s")
        if seconds < 1:
            reasons.append(f"the {label} must be at least 1 s")
    if tariff.cap_per_call is not None and tariff.cap_per_call < 0:
        reasons.append("the cap per call is negative")
    if tariff.valid_until is not None and tariff.valid_until <= tariff.valid_from:
        reasons.append("the tariff must end after it starts")
    return reasons


def add_tariff(session: Session, tariff: Tariff) -> Tariff:
    """Add a tariff to the table, or raise TariffRefused with every reason it breaks the rules."""
    reasons = refusal_reasons(tariff)
    if reasons:
        raise TariffRefused(reasons)
    session.add(tariff)
    session.flush()
    return tariff


def euros(amount: Decimal) -> str:
    """An amount as written in German: 0,45."""
    return f"{amount:.2f}".replace(".", ",")


def applies_to(tariff: Tariff) -> str:
    """What the tariff applies to, for listings: a line type or `0900-D`."""
    return f"0900-{tariff.price_digit}" if tariff.price_digit is not None else str(tariff.line_type)
