"""Finance exports of a month: per-call CSV, DATEV Buchungsstapel, summary.

Each export is a generator of encoded chunks that never holds the month in memory, so a
command writes it to a file and a web view can stream it as a download
(`Response(export_bytes(...), mimetype=FORMATS[name].media_type)`, with the session kept
open until the generator is done).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Mapping

from sqlalchemy.orm import Session

from billing.csv_export import csv_chunks
from billing.datev import ENCODING as DATEV_ENCODING
from billing.datev import DatevAccounts, datev_chunks
from billing.export_rows import month_rows
from billing.months import Month
from billing.summary import summary_chunks


@dataclass(frozen=True)
class ExportFormat:
    """How an export is encoded and offered as a file."""

    encoding: str
    media_type: str
    file_name: str  # with {month}


FORMATS = {
    "csv": ExportFormat("utf-8", "text/csv", "calls-{month}.csv"),
    "datev": ExportFormat(DATEV_ENCODING, "text/csv", "EXTF_Buchungsstapel_{month}.csv"),
    "summary": ExportFormat("utf-8", "text/csv", "summary-{month}.csv"),
}


def export_chunks(session: Session, name: str, month: Month, config: Mapping,
                  now: dt.datetime) -> Iterator[str]:
    """The text of the export `name` (a key of FORMATS) for the month, chunk by chunk."""
    rows = month_rows(session, month)
    if name == "csv":
        return csv_chunks(rows)
    if name == "datev":
        return datev_chunks(rows, month, DatevAccounts.from_config(config), now)
    if name == "summary":
        return summary_chunks(session, rows, month)
    raise ValueError(f"no export format {name!r}; formats: {', '.join(FORMATS)}")


def export_bytes(session: Session, name: str, month: Month, config: Mapping,
                 now: dt.datetime) -> Iterator[bytes]:
    """The export encoded as its format requires (DATEV: Windows-1252)."""
    encoding = FORMATS[name].encoding
    for chunk in export_chunks(session, name, month, config, now):
        yield chunk.encode(encoding, errors="replace")
