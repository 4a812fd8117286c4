"""Nonsense in any parameter gets valid TwiML that re-prompts or routes on, never a 500."""
import logging

import pytest

from callflows import menu
from ivr.calls import find_call
from tests.twiml import gather_of, spoken, spoken_text, verbs

MENU = "Für den technischen Support drücken Sie die 1"


@pytest.mark.parametrize("digits", ["abc", "1a", "x" * 10_000, "9" * 10_000, "<Say>", "ä"])
def test_nonsense_digits_in_the_menu_are_invalid_input(twilio, digits):
    twilio.to_menu()
    text = spoken(gather_of(twilio.keys("menu", digits)))
    assert text[0] == "Diese Eingabe ist ungültig." and MENU in text[1]


@pytest.mark.parametrize("digits", ["abc", "9" * 10_000, "12-34"])
def test_nonsense_customer_numbers_are_asked_again(twilio, digits):
    twilio.to_menu()
    twilio.keys("menu", "1")
    text = spoken(gather_of(twilio.keys("support_number", digits)))
    assert text[0] == "Diese Kundennummer kennen wir nicht."


def test_an_answer_for_an_unknown_call_starts_with_the_greeting(twilio, session):
    root = twilio.keys("menu", "1")
    assert "45 Cent" in spoken_text(root)
    assert find_call(session, twilio.call_sid).state == "greeting"


def test_an_answer_for_another_state_repeats_the_current_one(twilio):
    twilio.to_menu()
    root = twilio.keys("support_number", "10001")
    assert MENU in spoken_text(gather_of(root))


@pytest.mark.parametrize("state", ["", "nonsense", "queue", "x" * 5000])
def test_unknown_state_names_repeat_the_current_state(twilio, state):
    twilio.to_menu()
    assert MENU in spoken_text(twilio.keys(state, "1"))


@pytest.mark.parametrize("path", ["/twilio/voice", "/twilio/step?state=menu",
                                  "/twilio/queue/left"])
def test_a_request_without_call_sid_is_apologised_for_and_queued(twilio, path):
    root = twilio.twiml(path, CallSid=...)
    assert verbs(root) == ["Say", "Enqueue"]
    assert "technischer Fehler" in spoken_text(root)


def test_a_wait_request_without_call_sid_holds_without_enqueueing_again(twilio):
    root = twilio.twiml("/twilio/queue/wait", CallSid=...)
    assert verbs(root) == ["Say", "Say", "Pause"]
    assert "Die Wartezeit ist für Sie kostenlos." in spoken(root)


def test_overlong_and_odd_fields_are_cut_to_size(twilio, session):
    twilio.call_sid = "CA" + "7" * 5000
    twilio.caller = "+49" + "1" * 5000
    root = twilio.start()
    assert "45 Cent" in spoken_text(root)
    twilio.twiml("/twilio/queue/left", QueueResult="z" * 500, QueueTime="nonsense")
    root = twilio.twiml("/twilio/queue/wait", QueuePosition="-5" * 100)
    assert "Die Wartezeit ist für Sie kostenlos." in spoken(root)


def test_an_internal_error_is_logged_with_the_call_sid_and_the_caller_queued(twilio, monkeypatch, caplog):
    twilio.to_menu()

    def broken(_turn, _keys):
        raise RuntimeError("database gone")

    monkeypatch.setattr(menu, "on_keys", broken)
    from callflows import build_machine
    twilio.client.application.extensions["callflows"] = build_machine(twilio.client.application.config)
    with caplog.at_level(logging.ERROR):
        root = twilio.keys("menu", "1")
    assert verbs(root) == ["Say", "Enqueue"]
    assert spoken(root) == ["Entschuldigung, es ist ein technischer Fehler aufgetreten. "
                            "Wir verbinden Sie mit dem Support."]
    assert twilio.call_sid in caplog.text and "database gone" in caplog.text


@pytest.mark.parametrize("path", ["/twilio/status", "/twilio/voice", "/twilio/step?state=menu",
                                  "/twilio/queue/left"])
def test_nul_characters_are_dropped_not_fatal(twilio, session, path):
    response = twilio.post(path, CallSid="CA\x00nul", From="\x00+4923811234567",
                           CallStatus="completed", Digits="1\x00", QueueResult="hang\x00up")
    assert response.status_code in (200, 204)
    assert find_call(session, "CAnul") is not None
