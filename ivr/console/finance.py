"""The finance pages: a month's charges per day, and the exports as downloads.

| route                                          | does                                        |
|------------------------------------------------|---------------------------------------------|
| GET /console/finance?month=YYYY-MM             | month picker, downloads, chart and table    |
| GET /console/finance/export/FORMAT?month=...   | the export (csv, datev, summary), streamed  |

Months are UTC calendar months, as in `hotline billing export`; the page opens on the
current one.
"""
from __future__ import annotations

from typing import Iterator

from flask import (Blueprint, Response, abort, current_app, render_template, request,
                   stream_with_context)

from billing.daily import daily_totals, month_total
from billing.exceptions import BadMonth
from billing.exports import FORMATS, export_bytes
from billing.months import Month
from ivr.console.auth import csrf_protect, role_required
from ivr.db import get_session, new_session, utcnow

bp = Blueprint("console_finance", __name__, url_prefix="/console/finance")
csrf_protect(bp)

FINANCE_ROLES = ("finance", "admin")
#: HTTP names of the exports' encodings.
CHARSETS = {"utf-8": "utf-8", "cp1252": "windows-1252"}


def requested_month() -> Month:
    """The month of the query string (default: the current UTC month); BadMonth if malformed."""
    text = request.args.get("month")
    if text is None:
        now = utcnow()
        return Month(now.year, now.month)
    return Month.parse(text[:20])


def bad_month(exc: BadMonth) -> Response:
    return Response(f"{exc}\n", status=400, mimetype="text/plain")


def streamed_export(name: str, month: Month) -> Iterator[bytes]:
    """The export's encoded chunks, read in a session of their own that ends with the file."""
    with new_session() as session:
        yield from export_bytes(session, name, month, current_app.config, utcnow())


@bp.get("")
@role_required(*FINANCE_ROLES)
def page():
    """The month's figures per day (chart and table) and its downloads."""
    try:
        month = requested_month()
    except BadMonth as exc:
        return bad_month(exc)
    days = daily_totals(get_session(), month)
    return render_template("console/finance.html", month=month, days=days,
                           total=month_total(days), formats=FORMATS)


@bp.get("/export/<name>")
@role_required(*FINANCE_ROLES)
def export(name: str):
    """The export as a file download, streamed chunk by chunk from the database."""
    if name not in FORMATS:
        abort(404)
    try:
        month = requested_month()
    except BadMonth as exc:
        return bad_month(exc)
    form = FORMATS[name]
    chunks = streamed_export(name, month)
    file_name = form.file_name.format(month=month)
    return Response(
        stream_with_context(chunks),
        content_type=f"{form.media_type}; charset={CHARSETS.get(form.encoding, form.encoding)}",
        headers={"Content-Disposition": f'attachment; filename="{file_name}"',
                 "Cache-Control": "private, no-store"},
    )
