"""Support (1): the customer number, never the web number, then the queue."""
import io

import pytest

from ivr.calls import find_call
from ivr.customers import import_customers
from tests.twiml import gather_of, spoken, verbs

ASK = "Bitte geben Sie Ihre Kundennummer ein und drücken Sie dann die Raute-Taste. " \
      "Haben Sie die Kundennummer nicht zur Hand, drücken Sie die Stern-Taste."
CSV = """customer_number,name,email,phone,web_number,domain,activation_password
10001,Erika Mustermann,erika@example.de,+4923811234567,web123,example.de,geheim
"""


@pytest.fixture
def in_support(twilio, session):
    import_customers(session, io.StringIO(CSV))
    session.commit()
    twilio.to_menu()
    twilio.keys("menu", "1")
    return twilio


def test_valid_customer_number_is_read_back_and_queued_with_the_customer(in_support, session):
    root = in_support.keys("support_number", "10001")
    assert verbs(root) == ["Say", "Enqueue"]
    assert spoken(root) == ["Kundennummer 1 0 0 0 1. Vielen Dank."]
    enqueue = root.find("Enqueue")
    assert enqueue.get("waitUrl") == "/twilio/queue/wait"
    assert enqueue.get("action") == "/twilio/queue/left"
    call = find_call(session, in_support.call_sid)
    assert call.customer.customer_number == "10001"
    assert call.enqueued_at is not None and call.state == "queue"


def test_web_number_is_refused_with_hint(in_support, session):
    root = in_support.keys("support_number", "123")
    text = spoken(gather_of(root))
    assert text[0].startswith("Das ist Ihre Webnummer. Wir brauchen Ihre Kundennummer")
    assert text[1] == ASK
    assert find_call(session, in_support.call_sid).customer is None


def test_unknown_number_is_asked_again(in_support):
    text = spoken(gather_of(in_support.keys("support_number", "99999")))
    assert text == ["Diese Kundennummer kennen wir nicht.", ASK]


def test_star_queues_the_caller_unverified(in_support, session):
    root = in_support.keys("support_number", "*")
    assert verbs(root) == ["Say", "Enqueue"]
    assert spoken(root) == ["Wir verbinden Sie ohne Kundennummer mit dem Support."]
    call = find_call(session, in_support.call_sid)
    assert call.customer is None and call.enqueued_at is not None


def test_three_failed_tries_queue_the_caller_unverified(in_support, session):
    in_support.keys("support_number", "123")
    in_support.keys("support_number", "")
    root = in_support.keys("support_number", "55555")
    assert verbs(root) == ["Say", "Say", "Enqueue"]
    assert spoken(root) == ["Diese Kundennummer kennen wir nicht.",
                            "Wir verbinden Sie ohne Kundennummer mit dem Support."]
    assert find_call(session, in_support.call_sid).customer is None


def test_silence_asks_again(in_support):
    assert spoken(gather_of(in_support.keys("support_number", ""))) == [ASK]


def test_verification_results_are_in_the_call_log(in_support, session):
    in_support.keys("support_number", "123")
    in_support.keys("support_number", "10001")
    kinds = [event.kind for event in find_call(session, in_support.call_sid).events]
    assert kinds.index("customer_web_number") < kinds.index("customer_verified") \
        < kinds.index("queue_entered")
