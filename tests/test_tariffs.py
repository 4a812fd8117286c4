"""The tariff table: which tariff a call gets, § 112 refusals, and the tariffs commands."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from billing.exceptions import NoTariff, TariffRefused
from billing.models import ChargeRecord, Tariff
from billing.tariffs import add_tariff, price_digit, tariff_for
from tests.twiml import spoken_text

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def tariff(**values) -> Tariff:
    defaults = dict(name="t", line_type="fixed", price_per_minute=Decimal("0.45"),
                    vat_rate=Decimal("0.19"), first_step_seconds=60, step_seconds=60,
                    valid_from=dt.datetime(2025, 1, 1, tzinfo=UTC))
    return Tariff(**{**defaults, **values})


@pytest.mark.parametrize("number, digit", [
    ("+499001410520", 1), ("09005123456", 5), ("+4923819738700", None), ("anonymous", None),
    (None, None), ("+4930900123456", None),
])
def test_price_digit_is_the_first_digit_after_0900(number, digit):
    assert price_digit(number) == digit


def test_shipped_default_prices_fixed_and_mobile_lines_and_unknown_as_fixed(session):
    assert tariff_for(session, "fixed", NOW).price_per_minute == Decimal("0.45")
    assert tariff_for(session, "mobile", NOW).price_per_minute == Decimal("0.90")
    assert tariff_for(session, "unknown", NOW).name == "support-page-fixed"


def test_a_price_digit_tariff_applies_to_every_network(session):
    session.add(tariff(name="0900-1", line_type=None, price_digit=1,
                       price_per_minute=Decimal("0.69"), valid_from=dt.datetime(2026, 1, 1, tzinfo=UTC)))
    session.commit()
    assert tariff_for(session, "mobile", NOW, digit=1).name == "0900-1"
    assert tariff_for(session, "fixed", NOW, digit=1).name == "0900-1"
    assert tariff_for(session, "mobile", NOW, digit=2).name == "support-page-mobile"


def test_the_latest_valid_tariff_wins_and_any_line_is_the_fallback(session):
    session.add_all([
        tariff(name="fixed-2026", valid_from=dt.datetime(2026, 1, 1, tzinfo=UTC),
               valid_until=dt.datetime(2026, 12, 1, tzinfo=UTC)),
        tariff(name="any", line_type="any", valid_from=dt.datetime(2026, 1, 1, tzinfo=UTC)),
    ])
    session.commit()
    assert tariff_for(session, "fixed", NOW).name == "fixed-2026"
    assert tariff_for(session, "fixed", dt.datetime(2026, 12, 2, tzinfo=UTC)).name == "support-page-fixed"
    assert tariff_for(session, "mobile", NOW).name == "support-page-mobile"
    with pytest.raises(NoTariff, match="no tariff for fixed lines valid at 2023"):
        tariff_for(session, "fixed", dt.datetime(2023, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("values, reason", [
    ({"price_per_minute": Decimal("3.01")}, "§ 112: 3,01 EUR/min is above the 3,00 EUR/min cap"),
    ({"step_seconds": 61}, "§ 112: the step of 61 s is above 60 s"),
    ({"first_step_seconds": 120}, "§ 112: the first step of 120 s is above 60 s"),
    ({"line_type": None, "price_digit": 1}, "0900-1 numbers cost 0,69 EUR/min (Bundesnetzagentur), not 0,45"),
    ({"line_type": "landline"}, "line type 'landline' is not one of fixed, mobile, any"),
    ({"valid_until": dt.datetime(2024, 1, 1, tzinfo=UTC)}, "the tariff must end after it starts"),
])
def test_a_tariff_breaking_the_rules_is_refused_with_the_reason(session, values, reason):
    with pytest.raises(TariffRefused) as refused:
        add_tariff(session, tariff(**values))
    assert refused.value.reasons == [reason]


def test_a_tariff_at_the_cap_with_one_second_steps_is_taken(session):
    added = add_tariff(session, tariff(price_per_minute=Decimal("3.00"), first_step_seconds=1,
                                       step_seconds=1))
    session.commit()
    assert session.get(Tariff, added.id).price_per_minute == Decimal("3.00")


def test_the_greeting_announces_the_price_digit_tariff_for_all_networks(twilio, session):
    session.add(tariff(name="0900-1", line_type=None, price_digit=1,
                       price_per_minute=Decimal("0.69")))
    session.commit()
    text = spoken_text(twilio.start())  # the call reaches +49 9001 410520
    assert "69 Cent pro Minute aus allen Netzen" in text


def test_an_unclassifiable_caller_is_rated_at_the_fixed_price_and_flagged(twilio, session):
    twilio.caller = "anonymous"
    twilio.to_menu()
    twilio.post("/twilio/status", CallStatus="completed", CallDuration="90")
    record = session.scalar(select(ChargeRecord))
    assert (record.line_type, record.line_type_flagged, record.tariff_name,
            record.price_per_minute) == ("fixed", True, "support-page-fixed", Decimal("0.45"))


def test_a_mobile_caller_is_rated_at_the_mobile_price_unflagged(twilio, session):
    twilio.caller = "+4915112345678"
    twilio.to_menu()
    twilio.post("/twilio/status", CallStatus="completed", CallDuration="90")
    record = session.scalar(select(ChargeRecord))
    assert (record.line_type, record.line_type_flagged, record.price_per_minute) == \
        ("mobile", False, Decimal("0.90"))


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_tariffs_add_refuses_with_every_reason_and_adds_nothing(runner, session):
    result = runner.invoke(args=["tariffs", "add", "--name", "x", "--line-type", "fixed",
                                 "--price", "3,10", "--steps", "60/120"])
    assert result.exit_code == 1
    assert ("refused: § 112: 3,10 EUR/min is above the 3,00 EUR/min cap; "
            "§ 112: the step of 120 s is above 60 s") in result.output
    assert session.scalars(select(Tariff.name)).all() == ["support-page-fixed", "support-page-mobile"]


def test_tariffs_add_then_list_shows_it(runner, session):
    result = runner.invoke(args=["tariffs", "add", "--name", "digit-1", "--price-digit", "1",
                                 "--price", "0.69", "--steps", "60/1",
                                 "--valid-from", "2026-12-01T00:00"])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["tariffs", "list"]).output.splitlines()
    assert listing[2].split("\t")[1:6] == ["digit-1", "0900-1", "0,69", "VAT 0.19", "60/1"]
    assert listing[0].endswith("in force")


def test_tariffs_check_names_a_tariff_that_breaks_the_rules(runner, session):
    session.add(tariff(name="too-dear", price_per_minute=Decimal("3.50")))
    session.commit()
    result = runner.invoke(args=["tariffs", "check"])
    assert result.exit_code == 1
    assert "tariff 3 (too-dear): § 112: 3,50 EUR/min is above the 3,00 EUR/min cap" in result.output


def test_tariffs_check_reports_the_announced_prices_when_all_is_well(runner):
    result = runner.invoke(args=["tariffs", "check", "--at", "2026-11-25T12:00"])
    assert result.exit_code == 0
    assert "0,45 EUR/min from landlines, at most 0,90 EUR/min from mobile networks" in result.output


def test_tariffs_check_fails_when_no_tariff_covers_the_moment(runner):
    result = runner.invoke(args=["tariffs", "check", "--at", "2020-01-01T00:00"])
    assert result.exit_code == 1 and "no tariff for fixed lines valid at 2020" in result.output
