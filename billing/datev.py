"""The DATEV export: a "Buchungsstapel" (EXTF format 700, category 21) of a month's revenue.

One booking per day and tariff. Its net amount is booked from the clearing account (what
the carrier owes) to the revenue account, its VAT from the clearing account to the tax
account: two lines with the same document number (Belegfeld 1), so the tax is explicit and
the revenue account must be one without automatic VAT. Days are UTC days; zero-rated calls
give no booking. The text is Windows-1252 with CRLF line ends (`ENCODING`, `NEWLINE`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Iterator, Mapping

from sqlalchemy import Row

from billing.export_rows import Totals, totals_per_day
from billing.months import Month

ENCODING = "cp1252"
NEWLINE = "\r\n"
COLUMNS = ("Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs",
           "Basis-Umsatz", "WKZ Basis-Umsatz", "Konto", "Gegenkonto (ohne BU-Schlüssel)",
           "BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Skonto", "Buchungstext")
TEXT_LENGTH = 60


def quoted(value: str) -> str:
    """A DATEV text field."""
    return '"' + value.replace('"', '""') + '"'


def decimal_comma(value: Decimal) -> str:
    """A DATEV amount: two decimals, decimal comma, no sign, no thousands separator."""
    return f"{value:.2f}".replace(".", ",")


@dataclass(frozen=True)
class DatevAccounts:
    """The numbers DATEV needs from configuration."""

    consultant: str
    client: str
    account_length: str
    revenue: str
    tax: str
    clearing: str

    @classmethod
    def from_config(cls, config: Mapping) -> "DatevAccounts":
        return cls(str(config["DATEV_CONSULTANT_NUMBER"]), str(config["DATEV_CLIENT_NUMBER"]),
                   str(config["DATEV_ACCOUNT_LENGTH"]), str(config["DATEV_REVENUE_ACCOUNT"]),
                   str(config["DATEV_TAX_ACCOUNT"]), str(config["DATEV_CLEARING_ACCOUNT"]))


def header_line(month: Month, accounts: DatevAccounts, created: dt.datetime) -> str:
    """The EXTF header line of a Buchungsstapel for the month."""
    fields = [
        quoted("EXTF"), "700", "21", quoted("Buchungsstapel"), "13",
        created.strftime("%Y%m%d%H%M%S") + f"{created.microsecond // 1000:03d}",
        "", quoted("RE"), quoted(""), quoted(""), accounts.consultant, accounts.client,
        f"{month.year:04d}0101", accounts.account_length,
        month.start.strftime("%Y%m%d"), month.last_day.strftime("%Y%m%d"),
        quoted(f"Hotline {month}"), quoted(""), "1", "0", "0", quoted("EUR"),
        "", quoted(""), "", "", quoted(""), "", "", quoted(""), quoted(""),
    ]
    return ";".join(fields)


def booking_lines(day: dt.date, number: int, tariff: str, total: Totals,
                  accounts: DatevAccounts) -> list[str]:
    """The lines of one booking: the net to revenue, the VAT to tax."""
    document = f"HL{day:%Y%m%d}-{number}"
    lines = []
    for amount, account, kind in ((total.net, accounts.revenue, "netto"),
                                  (total.vat, accounts.tax, "USt")):
        if amount == 0:
            continue
        text = f"Anrufgebühren {day:%d.%m.} {tariff} {total.calls} Anrufe {kind}"[:TEXT_LENGTH]
        lines.append(";".join([
            decimal_comma(amount), quoted("S"), quoted("EUR"), "", "", "",
            accounts.clearing, account, quoted(""), day.strftime("%d%m"), quoted(document),
            quoted(""), "", quoted(text),
        ]))
    return lines


def datev_chunks(rows: Iterable[Row], month: Month, accounts: DatevAccounts,
                 created: dt.datetime) -> Iterator[str]:
    """The Buchungsstapel text, one chunk per booking, each line ending in CRLF."""
    yield header_line(month, accounts, created) + NEWLINE
    yield ";".join(quoted(name) for name in COLUMNS) + NEWLINE
    number = 0
    for day, tariff, total in totals_per_day(rows, key=lambda row: row.tariff_name or ""):
        if total.gross == 0:
            continue
        number += 1
        yield "".join(line + NEWLINE for line in booking_lines(day, number, tariff, total, accounts))
