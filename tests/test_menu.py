"""The main menu: choices, barge-in, invalid keys, silence, notices and contact ways."""
import datetime as dt

from ivr.calls import find_call
from ivr.notices import add_notice
from tests.twiml import gather_of, spoken, spoken_text, verbs

MENU = "Für den technischen Support drücken Sie die 1"


def test_menu_can_be_interrupted_by_a_key(twilio):
    root = twilio.to_menu()
    gather = gather_of(root)
    assert MENU in spoken_text(gather)
    assert gather.get("numDigits") == "1"
    assert gather.get("action") == "/twilio/step?state=menu"


def test_one_asks_for_the_customer_number(twilio, session):
    twilio.to_menu()
    root = twilio.keys("menu", "1")
    assert "Bitte geben Sie Ihre Kundennummer ein" in spoken_text(root)
    assert gather_of(root).get("finishOnKey") == "#"
    assert find_call(session, twilio.call_sid).intent == "support"


def test_two_asks_for_the_domain_of_the_web_account_to_activate(twilio, session):
    twilio.to_menu()
    root = twilio.keys("menu", "2")
    assert spoken(gather_of(root))[0].startswith("Bitte tippen Sie den Domainnamen ein")
    assert gather_of(root).get("action") == "/twilio/step?state=activation_domain"
    assert find_call(session, twilio.call_sid).intent == "activation"


def test_three_reads_active_notices_newest_first_then_the_menu(twilio, session):
    now = dt.datetime.now(dt.timezone.utc)
    add_notice(session, "maintenance", "Wartung am Mailserver", now - dt.timedelta(hours=2))
    add_notice(session, "outage", "Webserver 12 ist nicht erreichbar", now - dt.timedelta(minutes=5))
    add_notice(session, "outage", "Alte Störung", now - dt.timedelta(days=2), now - dt.timedelta(days=1))
    add_notice(session, "maintenance", "Künftige Wartung", now + dt.timedelta(days=1))
    session.commit()
    twilio.to_menu()
    text = spoken(gather_of(twilio.keys("menu", "3")))
    assert text[:2] == ["Störung: Webserver 12 ist nicht erreichbar",
                        "Wartungsarbeiten: Wartung am Mailserver"]
    assert MENU in text[2]
    assert len(text) == 3


def test_three_says_when_no_notices_are_known(twilio):
    twilio.to_menu()
    text = spoken(gather_of(twilio.keys("menu", "3")))
    assert text[0] == "Zurzeit sind keine Störungen oder Wartungsarbeiten bekannt."


def test_english_callers_hear_the_english_notice_text_or_the_german_one(twilio, session):
    now = dt.datetime.now(dt.timezone.utc)
    add_notice(session, "outage", "Mailserver gestört", now - dt.timedelta(minutes=2),
               text_en="Mail server down")
    add_notice(session, "maintenance", "Nur deutsch", now - dt.timedelta(minutes=9))
    session.commit()
    twilio.start()
    twilio.keys("greeting", "8")
    twilio.keys("greeting", "")
    text = spoken(gather_of(twilio.keys("menu", "3")))
    assert text[:2] == ["Outage: Mail server down", "Maintenance: Nur deutsch"]


def test_four_gives_email_fax_chat_and_forum(twilio):
    twilio.to_menu()
    text = spoken(gather_of(twilio.keys("menu", "4")))[0]
    assert "support at candan punkt e u" in text
    assert "0 2 3 8 1 9 7 3 8 7 7 9" in text
    assert "Supportchat" in text and "Kundenaccount" in text
    assert "forum punkt canhost punkt de" in text


def test_nine_repeats_the_menu(twilio):
    twilio.to_menu()
    assert spoken(gather_of(twilio.keys("menu", "9"))) == spoken(gather_of(twilio.to_menu()))


def test_invalid_key_says_so_and_repeats_the_menu(twilio):
    twilio.to_menu()
    text = spoken(gather_of(twilio.keys("menu", "7")))
    assert text[0] == "Diese Eingabe ist ungültig."
    assert MENU in text[1]


def test_silence_repeats_the_menu_twice_then_queues_the_caller(twilio, session):
    twilio.to_menu()
    for _ in range(2):
        root = twilio.keys("menu", "")
        assert verbs(root) == ["Gather"]
        assert MENU in spoken_text(root)
    root = twilio.keys("menu", "")
    assert verbs(root) == ["Say", "Enqueue"]
    assert spoken(root) == ["Wir verbinden Sie mit dem Support."]
    assert find_call(session, twilio.call_sid).intent == "menu_failed"


def test_three_invalid_keys_lead_to_the_queue_not_to_a_dead_end(twilio):
    twilio.to_menu()
    twilio.keys("menu", "0")
    twilio.keys("menu", "#")
    root = twilio.keys("menu", "*")
    assert spoken(root) == ["Diese Eingabe ist ungültig.", "Wir verbinden Sie mit dem Support."]
    assert root.find("Enqueue").text == "support"
