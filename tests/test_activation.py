"""Activation by phone: domain and activation password by keypad, through signed webhooks."""
import io
import itertools
import logging

import pytest
from sqlalchemy import select

from ivr.calls import find_call
from ivr.customers import import_customers
from ivr.db import Base
from ivr.models import WebAccount
from tests.twiml import gather_of, spoken, spoken_text, verbs

CSV = """customer_number,name,email,phone,web_number,domain,activation_password
10001,Erika Mustermann,,,web123,example.de,Geheimnis9
10002,Otto Normal,,,web124,dwaoqjd.de,anders
10003,Ida Aktiv,,,web125,aktiv.de,bereit
"""
EXAMPLE = "3926753*33"  # example.de and dwaoqjd.de share these keys
EXAMPLE_PASSWORD = "4343466479"  # Geheimnis9
OTHER_PASSWORD = "263377"  # anders
ASK_DOMAIN = "Bitte tippen Sie den Domainnamen ein"
NOT_MATCHED = "Domainname oder Freischaltpasswort stimmen nicht."
_sids = itertools.count(1)


@pytest.fixture
def accounts(session):
    import_customers(session, io.StringIO(CSV))
    session.commit()
    return session


def account(session, web_number: str) -> WebAccount:
    session.expire_all()
    return session.scalar(select(WebAccount).where(WebAccount.web_number == web_number))


def new_call(twilio):
    twilio.call_sid = f"CA{next(_sids):032d}"
    twilio.to_menu()
    twilio.keys("menu", "2")


def activate(twilio, domain_keys: str, password_keys: str):
    """Type the domain and the password; the TwiML that follows the password."""
    twilio.keys("activation_domain", domain_keys)
    return twilio.keys("activation_password", password_keys)


def test_domain_and_password_activate_the_account_and_read_the_domain_back(twilio, accounts):
    new_call(twilio)
    root = activate(twilio, EXAMPLE, EXAMPLE_PASSWORD)
    text = spoken(gather_of(root))
    assert text[0] == "example punkt de ist freigeschaltet."
    assert "Für den technischen Support" in text[1]
    activated = account(accounts, "web123")
    assert activated.status == "active" and activated.activated_at is not None
    assert (activated.activation_call_sid, activated.activation_caller) == (twilio.call_sid, twilio.caller)
    assert account(accounts, "web124").status == "pending"


def test_the_prompt_explains_keypad_typing_with_an_example(twilio, accounts):
    twilio.to_menu()
    text = spoken_text(twilio.keys("menu", "2"))
    assert "Stern für den Punkt" in text and "1 für den Bindestrich" in text
    assert "example punkt de tippen Sie zum Beispiel 3 9 2 6 7 5 3 Stern 3 3 Raute" in text


def test_english_callers_hear_the_domain_read_back_in_english(twilio, accounts):
    twilio.start()
    twilio.keys("greeting", "8")
    twilio.keys("greeting", "")
    twilio.keys("menu", "2")
    root = activate(twilio, EXAMPLE, EXAMPLE_PASSWORD)
    assert spoken(root)[0] == "example dot de is now activated."


def test_a_wrong_domain_is_told_only_after_the_password(twilio, accounts):
    new_call(twilio)
    root = twilio.keys("activation_domain", "4444*33")
    assert "Bitte tippen Sie jetzt Ihr Freischaltpasswort" in spoken_text(root)
    root = twilio.keys("activation_password", EXAMPLE_PASSWORD)
    text = spoken(gather_of(root))
    assert text[0] == NOT_MATCHED and text[1].startswith(ASK_DOMAIN)


def test_a_wrong_password_gives_the_same_answer_and_changes_nothing(twilio, accounts):
    new_call(twilio)
    root = activate(twilio, EXAMPLE, "1234")
    assert spoken(gather_of(root))[0] == NOT_MATCHED
    assert account(accounts, "web123").status == "pending"
    assert account(accounts, "web123").failed_passwords == 1


def test_two_accounts_with_one_signature_are_told_apart_by_the_password(twilio, accounts):
    new_call(twilio)
    root = activate(twilio, EXAMPLE, OTHER_PASSWORD)
    assert spoken(root)[0] == "dwaoqjd punkt de ist freigeschaltet."
    assert account(accounts, "web124").status == "active"
    assert account(accounts, "web123").status == "pending"


def test_an_active_account_is_told_so_and_nothing_changes(twilio, accounts):
    new_call(twilio)
    activate(twilio, EXAMPLE, EXAMPLE_PASSWORD)
    first = account(accounts, "web123").activated_at
    new_call(twilio)
    root = activate(twilio, EXAMPLE, EXAMPLE_PASSWORD)
    assert spoken(root)[0] == "example punkt de ist bereits freigeschaltet. Es wurde nichts geändert."
    again = account(accounts, "web123")
    assert again.activated_at == first and again.activation_call_sid != twilio.call_sid


def test_three_failures_offer_the_queue_with_priority_intent(twilio, accounts, session):
    new_call(twilio)
    activate(twilio, EXAMPLE, "1")
    twilio.keys("activation_domain", "")  # silence counts as a try
    root = activate(twilio, EXAMPLE, "2")
    assert verbs(root) == ["Say", "Say", "Enqueue"]
    assert spoken(root) == [NOT_MATCHED, "Wir verbinden Sie mit dem Support."]
    assert find_call(session, twilio.call_sid).intent == "activation_failed"


def test_keys_that_are_no_domain_are_asked_again(twilio, accounts):
    new_call(twilio)
    text = spoken(gather_of(twilio.keys("activation_domain", "#")))
    assert text == ["Das war kein Domainname.", text[1]] and text[1].startswith(ASK_DOMAIN)


def test_five_wrong_passwords_lock_the_account_until_unlocked(twilio, accounts, app):
    for wrong in ["11", "12", "13", "14", "15"]:
        new_call(twilio)
        activate(twilio, EXAMPLE, wrong)
    locked = account(accounts, "web123")
    assert locked.locked_until is not None and locked.lockouts == 1
    new_call(twilio)
    root = activate(twilio, EXAMPLE, EXAMPLE_PASSWORD)
    assert spoken(root)[0] == NOT_MATCHED  # the lock is not revealed
    assert account(accounts, "web123").status == "pending"

    result = app.test_cli_runner().invoke(args=["accounts", "unlock", "web123"])
    assert result.exit_code == 0, result.output
    new_call(twilio)
    assert spoken(activate(twilio, EXAMPLE, EXAMPLE_PASSWORD))[0] == "example punkt de ist freigeschaltet."


def test_each_further_lock_lasts_longer():
    from ivr.activation import lock_duration

    assert [lock_duration(n).total_seconds() / 60 for n in (1, 2, 3)] == [15, 30, 60]
    assert lock_duration(20).days == 1


def test_a_caller_with_many_failures_across_accounts_is_throttled(twilio, accounts):
    for n in range(10):
        new_call(twilio)
        activate(twilio, "2222*33" if n % 2 else "3333*33", "1")
    new_call(twilio)
    root = activate(twilio, "25848*33", "237348")  # aktiv.de, right password "bereit"
    assert spoken(root)[0] == NOT_MATCHED
    twilio.caller = "+4923811112222"
    new_call(twilio)
    root = activate(twilio, "25848*33", "237348")
    assert spoken(root)[0] == "aktiv punkt de ist freigeschaltet."


def test_no_password_digit_reaches_logs_events_or_any_column(twilio, accounts, session, caplog):
    with caplog.at_level(logging.DEBUG):
        new_call(twilio)
        activate(twilio, EXAMPLE, EXAMPLE_PASSWORD)
        new_call(twilio)
        activate(twilio, EXAMPLE, "9876543210")
    assert EXAMPLE_PASSWORD not in caplog.text and "9876543210" not in caplog.text
    events = find_call(session, twilio.call_sid).events
    assert {"kind": "keys", "detail": {"count": 10}} in [
        {"kind": e.kind, "detail": e.detail} for e in events if e.state == "activation_password"]
    dump = []
    with session.bind.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                dump.append(" ".join(str(value) for value in row))
    dump = "\n".join(dump)
    assert EXAMPLE in dump  # the domain keys are no secret: the dump does hold typed input
    assert EXAMPLE_PASSWORD not in dump and "9876543210" not in dump


def test_accounts_show_prints_json_and_set_password_replaces_the_hash(app, accounts, twilio):
    import json

    runner = app.test_cli_runner()
    shown = json.loads(runner.invoke(args=["accounts", "show", "WEB123"]).output)
    assert shown == {"web_number": "web123", "domain": "example.de", "customer_number": "10001",
                     "status": "pending", "activated_at": None, "locked_until": None}
    result = runner.invoke(args=["accounts", "set-password", "web123"], input="neu\nneu\n")
    assert result.exit_code == 0, result.output
    assert "neu" not in account(accounts, "web123").activation_password_hash
    new_call(twilio)
    assert spoken(activate(twilio, EXAMPLE, "638"))[0] == "example punkt de ist freigeschaltet."
    assert runner.invoke(args=["accounts", "show", "web999"]).exit_code != 0
