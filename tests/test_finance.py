"""The finance pages: charges per UTC day, and the exports as streamed downloads."""
import datetime as dt
from decimal import Decimal

import pytest

from billing.daily import Day, daily_totals
from billing.months import Month
from ivr.models import Customer
from tests.billing_calls import UTC, finished_call
from tests.test_exports import parse_datev

DAY = dt.datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def rated_month(runner, session):
    """Five rated calls in November 2026 (one free, one late on the 4th UTC), one in October."""
    customer = Customer(customer_number="10001", name="Erika Mustermann")
    finished_call(session, "CA-1", DAY, 61, customer=customer)                    # 0.90
    finished_call(session, "CA-2", DAY + dt.timedelta(hours=1), 30)                # 0.45
    finished_call(session, "CA-3", DAY + dt.timedelta(days=1), 120, caller="+4915112345678",
                  line_type="mobile", customer=customer)                           # 1.80
    finished_call(session, "CA-4", DAY + dt.timedelta(days=1, hours=2), 0,
                  charging_started_at=None)                                        # 0.00
    finished_call(session, "CA-5", dt.datetime(2026, 11, 4, 23, 30, tzinfo=UTC), 61)  # 0.90
    finished_call(session, "CA-oct", dt.datetime(2026, 10, 31, 23, 0, tzinfo=UTC), 61)
    finished_call(session, "CA-open", DAY, 0, ended_at=None, status="in-progress")
    session.commit()
    for month in ("2026-10", "2026-11"):
        assert runner.invoke(args=["billing", "rate", "--month", month]).exit_code == 0


@pytest.fixture
def finance(console, make_staff):
    make_staff("fiona", role="finance", phone=None)
    console.login("fiona")
    return console


def cli_export(runner, form: str, month: str = "2026-11") -> bytes:
    result = runner.invoke(args=["billing", "export", "--month", month, "--format", form])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_charges_are_summed_per_utc_day_with_every_day_of_the_month(session, rated_month):
    days = daily_totals(session, Month(2026, 11))
    assert [d.day for d in days] == [dt.date(2026, 11, n) for n in range(1, 31)]
    by_day = {d.day.day: d for d in days}
    assert by_day[3] == Day(dt.date(2026, 11, 3), 2, 91, Decimal("1.35"))
    assert by_day[4] == Day(dt.date(2026, 11, 4), 3, 181, Decimal("2.70"))
    assert by_day[5] == Day(dt.date(2026, 11, 5), 0, 0, Decimal("0.00"))
    assert (by_day[3].minutes, by_day[4].minutes) == (Decimal("1.5"), Decimal("3.0"))
    assert sum(d.calls for d in days) == 5
    assert all(isinstance(d.gross, Decimal) for d in days)


def test_october_is_only_its_last_day(session, rated_month):
    days = daily_totals(session, Month(2026, 10))
    assert len(days) == 31
    assert [(d.day.day, d.calls, d.gross) for d in days if d.calls] == [(31, 1, Decimal("0.90"))]


def test_the_page_shows_the_days_in_a_chart_and_a_table(finance, rated_month):
    response = finance.client.get("/console/finance?month=2026-11")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for chart in ("daily-calls", "daily-minutes", "daily-revenue"):
        assert f'<svg id="{chart}"' in page
    assert page.count('<rect class="revenue"') == 30
    assert ('<tr data-day="2026-11-04"><th>2026-11-04</th><td class="value calls">3</td>\n'
            '        <td class="value minutes">3.0</td><td class="value gross">2.70</td></tr>') in page
    assert '<td class="value gross">4.05</td>' in page.split('id="month-total"')[1]
    assert 'href="/console/finance/export/csv?month=2026-11"' in page
    assert 'href="/console/finance/export/datev?month=2026-11"' in page


def test_the_page_opens_on_the_current_utc_month(finance):
    now = dt.datetime.now(dt.timezone.utc)
    page = finance.client.get("/console/finance").get_data(as_text=True)
    assert f'value="{now:%Y-%m}"' in page


def test_the_csv_download_is_the_cli_export_streamed(finance, runner, rated_month):
    with finance.client.get("/console/finance/export/csv?month=2026-11") as response:
        assert response.status_code == 200 and response.is_streamed  # no length: not built first
        body = response.get_data()
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="calls-2026-11.csv"'
    assert body == cli_export(runner, "csv")
    assert body.count(b"\n") == 6 and b"CA-5" in body and b"CA-oct" not in body


def test_the_summary_download_is_the_cli_export(finance, runner, rated_month):
    with finance.client.get("/console/finance/export/summary?month=2026-11") as response:
        body = response.get_data()
    assert response.headers["Content-Disposition"] == 'attachment; filename="summary-2026-11.csv"'
    assert body == cli_export(runner, "summary")


def test_the_datev_download_is_windows_1252_with_crlf(finance, runner, rated_month):
    with finance.client.get("/console/finance/export/datev?month=2026-11") as response:
        assert response.status_code == 200 and response.is_streamed  # no length: not built first
        data = response.get_data()
    assert response.headers["Content-Type"] == "text/csv; charset=windows-1252"
    assert (response.headers["Content-Disposition"]
            == 'attachment; filename="EXTF_Buchungsstapel_2026-11.csv"')
    assert "Anrufgebühren".encode("cp1252") in data and "ü".encode("utf-8") not in data
    header, columns, bookings = parse_datev(data)  # CRLF only, decoded as Windows-1252
    assert header[:5] == ["EXTF", "700", "21", "Buchungsstapel", "13"]
    assert parse_datev(cli_export(runner, "datev"))[1:] == (columns, bookings)
    assert len(bookings) == 6  # net and VAT of 3.11. fixed, 4.11. fixed, 4.11. mobile


@pytest.mark.parametrize("month", ["2026-13", "november", "2026-1", ""])
def test_a_bad_month_is_refused_with_the_reason(finance, month):
    for path in ("/console/finance", "/console/finance/export/csv"):
        response = finance.client.get(path, query_string={"month": month})
        assert response.status_code == 400, path
        assert "is not written YYYY-MM" in response.get_data(as_text=True)


def test_an_unknown_format_is_not_found(finance):
    assert finance.client.get("/console/finance/export/xlsx?month=2026-11").status_code == 404


def test_a_finance_user_lands_on_the_finance_page(console, make_staff):
    make_staff("fiona", role="finance", phone=None)
    assert console.login("fiona").headers["Location"] == "/console/"
    assert console.client.get("/console/").headers["Location"] == "/console/finance"
    page = console.client.get("/console/finance").get_data(as_text=True)
    assert 'href="/console/finance">Finance</a>' in page and "Supervisor</a>" not in page
