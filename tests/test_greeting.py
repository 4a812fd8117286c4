"""The greeting and the price announcement (§ 110 TKG), and the start of charging."""
import datetime as dt
from decimal import Decimal

from billing.models import Tariff
from ivr.calls import find_call
from tests.twiml import gather_of, spoken, spoken_text, verbs


def test_greeting_announces_both_prices_and_when_charging_starts(twilio):
    root = twilio.start()
    text = spoken_text(root)
    assert "45 Cent pro Minute" in text
    assert "höchstens 90 Cent pro Minute" in text
    assert "Die Gebühr beginnt 3 Sekunden nach dieser Ansage" in text


def test_price_announcement_cannot_be_cut_short_and_is_followed_by_3_seconds(twilio):
    root = twilio.start()
    assert verbs(root) == ["Say", "Say", "Gather"]
    assert "45 Cent" in root[1].text  # outside the Gather: no key interrupts it
    gather = gather_of(root)
    assert gather.get("timeout") == "3"
    assert gather.get("numDigits") == "1"
    assert gather.get("actionOnEmptyResult") == "true"
    assert spoken(gather) == ["For English, press 8."]
    assert gather.find("Say").get("language") == "en-GB"


def test_announced_prices_come_from_the_tariff_table(twilio, session):
    session.add(Tariff(name="new-fixed", line_type="fixed", price_per_minute=Decimal("0.69"),
                       vat_rate=Decimal("0.19"), valid_from=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)))
    session.commit()
    assert "69 Cent pro Minute" in spoken_text(twilio.start())


def test_one_price_for_all_networks_is_announced_once(twilio, session):
    session.add(Tariff(name="digit-1", line_type="any", price_per_minute=Decimal("0.69"),
                       vat_rate=Decimal("0.19"), valid_from=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)))
    for old in session.query(Tariff).filter(Tariff.line_type != "any"):
        session.delete(old)
    session.commit()
    text = spoken_text(twilio.start())
    assert "69 Cent pro Minute aus allen Netzen" in text
    assert "Mobilfunk" not in text


def test_leaving_the_announcement_in_silence_starts_charging_then(twilio, session):
    twilio.start()
    before = dt.datetime.now(dt.timezone.utc)
    root = twilio.keys("greeting", "")
    assert "Für den technischen Support drücken Sie die 1" in spoken_text(root)
    call = find_call(session, twilio.call_sid)
    assert call.announced_at is not None
    assert before <= call.charging_started_at <= dt.datetime.now(dt.timezone.utc)
    assert call.charging_started_at > call.announced_at


def test_a_key_during_the_pause_keeps_the_3_seconds_before_charging(twilio, session):
    twilio.start()
    before = dt.datetime.now(dt.timezone.utc)
    root = twilio.keys("greeting", "7")
    assert verbs(root)[0] == "Pause" and root[0].get("length") == "3"
    assert "Für den technischen Support" in spoken_text(root)
    call = find_call(session, twilio.call_sid)
    assert call.charging_started_at >= before + dt.timedelta(seconds=3)


def test_a_menu_choice_during_the_pause_is_taken_after_the_pause(twilio, session):
    twilio.start()
    root = twilio.keys("greeting", "1")
    assert verbs(root) == ["Pause", "Gather"] and root[0].get("length") == "3"
    assert spoken_text(root).startswith("Bitte geben Sie Ihre Kundennummer ein")
    call = find_call(session, twilio.call_sid)
    assert (call.state, call.intent) == ("support_number", "support")
    assert call.charging_started_at is not None


def test_caller_who_hangs_up_during_the_announcement_has_no_charging_start(twilio, session):
    twilio.start()
    assert twilio.post("/twilio/status", CallStatus="completed", CallDuration="9").status_code == 204
    call = find_call(session, twilio.call_sid)
    assert call.announced_at is not None and call.charging_started_at is None


def test_eight_switches_to_english_and_repeats_the_announcement_in_english(twilio, session):
    twilio.start()
    root = twilio.keys("greeting", "8")
    text = spoken_text(root)
    assert "This call costs 45 cents per minute" in text
    assert "Charging starts 3 seconds after this announcement" in text
    assert spoken(gather_of(root)) == ["Für Deutsch drücken Sie die 8."]
    assert find_call(session, twilio.call_sid).charging_started_at is None
    menu = twilio.keys("greeting", "")
    assert "For technical support, press 1" in spoken_text(menu)
    assert gather_of(menu).find("Say").get("language") == "en-GB"
    assert "Please enter your customer number" in spoken_text(twilio.keys("menu", "1"))


def test_caller_number_is_stored_in_e164_with_its_line_type(twilio, session):
    twilio.caller = "015112345678"
    twilio.start()
    call = find_call(session, twilio.call_sid)
    assert (call.caller, call.line_type) == ("+4915112345678", "mobile")


def test_unclassifiable_caller_number_is_kept_as_unknown_line(twilio, session):
    twilio.caller = "anonymous"
    twilio.start()
    call = find_call(session, twilio.call_sid)
    assert (call.caller, call.line_type) == ("anonymous", "unknown")
