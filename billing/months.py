"""Calendar months in UTC, as the exports and re-rating take them (`YYYY-MM`)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from billing.exceptions import BadMonth

MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Month:
    """One month: calls that started from `start` (inclusive) to `end` (exclusive), UTC."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """The month written as YYYY-MM."""
        match = MONTH.fullmatch(text.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise BadMonth(f"month {text!r} is not written YYYY-MM (e.g. 2026-11)")
        return cls(int(match[1]), int(match[2]))

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.month, 1, tzinfo=dt.timezone.utc)

    @property
    def end(self) -> dt.datetime:
        year, month = divmod(self.year * 12 + self.month, 12)
        return dt.datetime(year, month + 1, 1, tzinfo=dt.timezone.utc)

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
