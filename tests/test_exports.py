"""Finance exports of a month: per-call CSV, DATEV Buchungsstapel (parsed back), summary."""
import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from billing.csv_export import COLUMNS
from ivr.models import Customer
from tests.billing_calls import UTC, finished_call

DAY = dt.datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def runner(app):
    app.config.update(DATEV_CONSULTANT_NUMBER="29098", DATEV_CLIENT_NUMBER="55003",
                      DATEV_REVENUE_ACCOUNT="8200", DATEV_TAX_ACCOUNT="1776",
                      DATEV_CLEARING_ACCOUNT="1360")
    return app.test_cli_runner()


@pytest.fixture
def rated_month(runner, session):
    """Four rated calls in November 2026 (one free), one in October, one unfinished."""
    customer = Customer(customer_number="10001", name="Erika Mustermann")
    finished_call(session, "CA-1", DAY, 61, customer=customer)
    finished_call(session, "CA-2", DAY + dt.timedelta(hours=1), 30)
    finished_call(session, "CA-3", DAY + dt.timedelta(days=1), 120, caller="+4915112345678",
                  line_type="mobile", customer=customer)
    finished_call(session, "CA-4", DAY + dt.timedelta(days=1, hours=2), 0, charging_started_at=None)
    finished_call(session, "CA-oct", dt.datetime(2026, 10, 31, 23, 0, tzinfo=UTC), 61)
    finished_call(session, "CA-open", DAY, 0, ended_at=None, status="in-progress")
    session.commit()
    for month in ("2026-10", "2026-11"):
        assert runner.invoke(args=["billing", "rate", "--month", month]).exit_code == 0


def export(runner, form: str, *extra: str) -> bytes:
    result = runner.invoke(args=["billing", "export", "--month", "2026-11", "--format", form, *extra])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_csv_has_one_row_per_rated_call_with_masked_caller_and_dot_amounts(runner, rated_month):
    rows = list(csv.reader(io.StringIO(export(runner, "csv").decode("utf-8"))))
    assert rows[0] == list(COLUMNS) == [
        "call_sid", "started_at", "ended_at", "caller", "line_type", "customer_number", "tariff",
        "billable_seconds", "billed_units", "price_per_minute", "net_eur", "vat_eur", "gross_eur",
        "zero_reason"]
    assert rows[1:] == [
        ["CA-1", "2026-11-03T10:00:00Z", "2026-11-03T10:01:26Z", "+4923819738XXX", "fixed",
         "10001", "support-page-fixed", "61", "2", "0.45", "0.76", "0.14", "0.90", ""],
        ["CA-2", "2026-11-03T11:00:00Z", "2026-11-03T11:00:55Z", "+4923819738XXX", "fixed",
         "", "support-page-fixed", "30", "1", "0.45", "0.38", "0.07", "0.45", ""],
        ["CA-3", "2026-11-04T10:00:00Z", "2026-11-04T10:02:25Z", "+4915112345XXX", "mobile",
         "10001", "support-page-mobile", "120", "2", "0.90", "1.51", "0.29", "1.80", ""],
        ["CA-4", "2026-11-04T12:00:00Z", "2026-11-04T12:00:25Z", "+4923819738XXX", "fixed",
         "", "support-page-fixed", "0", "0", "0.45", "0.00", "0.00", "0.00",
         "hung up during the price announcement"],
    ]


def test_csv_goes_to_a_file_with_output(runner, rated_month, tmp_path):
    path = tmp_path / "calls.csv"
    assert export(runner, "csv", "--output", str(path)) == b""
    assert path.read_text(encoding="utf-8").count("\n") == 5


def parse_datev(data: bytes) -> tuple[list[str], list[str], list[dict]]:
    """A Buchungsstapel read back as DATEV reads it: Windows-1252, semicolons, CRLF."""
    assert data.count(b"\r\n") == data.count(b"\n") and data.endswith(b"\r\n")
    lines = list(csv.reader(io.StringIO(data.decode("cp1252"), newline=""), delimiter=";"))
    header, columns, bookings = lines[0], lines[1], lines[2:]
    return header, columns, [dict(zip(columns, booking)) for booking in bookings]


def test_datev_has_one_booking_per_day_and_tariff_net_and_vat(runner, rated_month):
    data = export(runner, "datev")
    header, columns, bookings = parse_datev(data)
    assert header[:5] == ["EXTF", "700", "21", "Buchungsstapel", "13"]
    assert header[10:16] == ["29098", "55003", "20260101", "4", "20261101", "20261130"]
    assert header[21] == "EUR"
    assert columns[:11] == ["Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz",
                            "Kurs", "Basis-Umsatz", "WKZ Basis-Umsatz", "Konto",
                            "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum",
                            "Belegfeld 1"]
    fields = ("Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "Konto",
              "Gegenkonto (ohne BU-Schlüssel)", "Belegdatum", "Belegfeld 1")
    assert [tuple(b[f] for f in fields) for b in bookings] == [
        ("1,14", "S", "1360", "8200", "0311", "HL20261103-1"),
        ("0,21", "S", "1360", "1776", "0311", "HL20261103-1"),
        ("1,51", "S", "1360", "8200", "0411", "HL20261104-2"),
        ("0,29", "S", "1360", "1776", "0411", "HL20261104-2"),
    ]
    assert bookings[0]["Buchungstext"] == "Anrufgebühren 03.11. support-page-fixed 2 Anrufe netto"
    assert "Anrufgeb\xfchren".encode("cp1252") in data
    total = sum(Decimal(b["Umsatz (ohne Soll/Haben-Kz)"].replace(",", ".")) for b in bookings)
    assert total == Decimal("0.90") + Decimal("0.45") + Decimal("1.80")


def test_datev_of_a_month_without_calls_has_header_and_columns_only(runner, rated_month):
    result = runner.invoke(args=["billing", "export", "--month", "2026-09", "--format", "datev"])
    header, columns, bookings = parse_datev(result.stdout_bytes)
    assert header[14:16] == ["20260901", "20260930"] and bookings == []


def test_summary_totals_per_day_and_line_type_and_per_customer(runner, rated_month):
    text = export(runner, "summary").decode("utf-8")
    assert text.splitlines() == [
        "day,line_type,calls,billable_seconds,net_eur,vat_eur,gross_eur",
        "2026-11-03,fixed,2,91,1.14,0.21,1.35",
        "2026-11-04,fixed,1,0,0.00,0.00,0.00",
        "2026-11-04,mobile,1,120,1.51,0.29,1.80",
        "total,,4,211,2.65,0.50,3.15",
        "",
        "customer_number,calls,billable_seconds,net_eur,vat_eur,gross_eur",
        "10001,2,181,2.27,0.43,2.70",
        ",2,30,0.38,0.07,0.45",
        "total,4,211,2.65,0.50,3.15",
    ]
