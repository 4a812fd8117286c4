"""Rating a month's calls in batches: catching up unrated calls, re-rating with an audit."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from billing import month_rating
from billing.models import ChargeRecord, ChargeRecordChange, Tariff
from ivr.models import Call
from tests.billing_calls import UTC, finished_call

NOV = dt.datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def runner(app, monkeypatch):
    monkeypatch.setattr(month_rating, "BATCH_SIZE", 2)  # several batches with a few calls
    return app.test_cli_runner()


@pytest.fixture
def calls(session):
    finished_call(session, "CA-nov-1", NOV, 61)
    finished_call(session, "CA-nov-2", NOV + dt.timedelta(days=1), 120, caller="+4915112345678",
                  line_type="mobile")
    finished_call(session, "CA-nov-3", NOV + dt.timedelta(days=2), 30)
    finished_call(session, "CA-nov-open", NOV, 0, ended_at=None, status="in-progress")
    finished_call(session, "CA-oct", dt.datetime(2026, 10, 31, 23, 59, tzinfo=UTC), 61)
    session.commit()


def gross_by_call(session) -> dict:
    rows = session.execute(select(Call.call_sid, ChargeRecord.gross)
                           .join(ChargeRecord, ChargeRecord.call_id == Call.id))
    return dict(rows.all())


def test_rate_rates_the_months_finished_calls_once(runner, session, calls):
    result = runner.invoke(args=["billing", "rate", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    assert "2026-11: 3 calls rated, 3 records written" in result.output
    assert gross_by_call(session) == {"CA-nov-1": Decimal("0.90"), "CA-nov-2": Decimal("1.80"),
                                      "CA-nov-3": Decimal("0.45")}
    again = runner.invoke(args=["billing", "rate", "--month", "2026-11"])
    assert "2026-11: 0 calls rated, 0 records written" in again.output


def test_rerate_replaces_changed_records_and_keeps_the_old_amounts(runner, session, calls):
    runner.invoke(args=["billing", "rate", "--month", "2026-11"])
    runner.invoke(args=["billing", "rate", "--month", "2026-10"])
    session.add(Tariff(name="fixed-fix", line_type="fixed", price_per_minute=Decimal("0.42"),
                       vat_rate=Decimal("0.19"), first_step_seconds=60, step_seconds=60,
                       valid_from=dt.datetime(2026, 11, 1, tzinfo=UTC)))
    session.commit()
    result = runner.invoke(args=["billing", "rerate", "--month", "2026-11"])
    assert "2026-11: 3 calls rated, 2 records written" in result.output
    session.expire_all()
    assert gross_by_call(session) == {"CA-nov-1": Decimal("0.84"), "CA-nov-2": Decimal("1.80"),
                                      "CA-nov-3": Decimal("0.42"), "CA-oct": Decimal("0.90")}
    changes = session.scalars(select(ChargeRecordChange).order_by(ChargeRecordChange.id)).all()
    assert [(c.cause, c.tariff_name, c.gross, c.net, c.vat) for c in changes] == [
        ("rerate 2026-11", "support-page-fixed", Decimal("0.90"), Decimal("0.76"), Decimal("0.14")),
        ("rerate 2026-11", "support-page-fixed", Decimal("0.45"), Decimal("0.38"), Decimal("0.07")),
    ]
    record = session.get(ChargeRecord, changes[0].charge_record_id)
    assert (record.tariff_name, record.net, record.vat) == ("fixed-fix", Decimal("0.71"), Decimal("0.13"))
    again = runner.invoke(args=["billing", "rerate", "--month", "2026-11"])
    assert "2026-11: 3 calls rated, 0 records written" in again.output
    assert len(session.scalars(select(ChargeRecordChange)).all()) == 2


def test_a_month_not_written_yyyy_mm_is_refused(runner):
    result = runner.invoke(args=["billing", "rerate", "--month", "11/2026"])
    assert result.exit_code == 2
    assert "month '11/2026' is not written YYYY-MM" in result.output


def test_a_call_without_a_tariff_is_rated_once_a_tariff_exists(twilio, session, runner, caplog):
    tariffs = session.scalars(select(Tariff)).all()
    for tariff in tariffs:
        tariff.valid_from = dt.datetime(2030, 1, 1, tzinfo=UTC)
    session.commit()
    greeting = twilio.twiml("/twilio/voice")  # no prices to announce: the apology, the queue
    assert greeting.find("Enqueue") is not None
    response = twilio.post("/twilio/status", CallStatus="completed", CallDuration="30")
    assert response.status_code == 204
    assert "job billing.jobs.rate_call" in caplog.text and "no tariff for fixed lines" in caplog.text
    assert session.scalar(select(ChargeRecord)) is None
    month = dt.datetime.now(UTC).strftime("%Y-%m")
    failed = runner.invoke(args=["billing", "rate", "--month", month])
    assert failed.exit_code == 1 and "no tariff for fixed lines" in failed.output
    for tariff in tariffs:
        tariff.valid_from = dt.datetime(2024, 1, 1, tzinfo=UTC)
    session.commit()
    result = runner.invoke(args=["billing", "rate", "--month", month])
    assert f"{month}: 1 calls rated, 1 records written" in result.output
    record = session.scalar(select(ChargeRecord))
    assert (record.gross, record.zero_reason) == (0, "§ 116: no price announcement before charging")
