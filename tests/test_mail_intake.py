"""Mail becomes tickets: decoded, the customer found, a receipt sent over real SMTP to people
only, replies joined to their ticket, and the raw mail kept whatever happens."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from ivr import mail_intake
from ivr.models import Attachment, IntakeItem, Ticket, TicketMessage
from tests import mails
from tests.intake_steps import add_customer, receipts, take, ticket


def test_encoded_words_and_quoted_printable_umlauts_become_an_urgent_ticket(app, session, smtp):
    add_customer(session)
    taken = take(app, mails.UMLAUT_OUTAGE)
    found = ticket(session, taken.ticket_number)
    assert (found.subject, found.contact_name) == ("Störung: Webseite nicht erreichbar", "Jürgen Müller")
    assert found.customer.customer_number == "10001"
    assert found.priority == "high"
    assert found.due_at == found.created_at + dt.timedelta(hours=app.config["OUTAGE_DUE_HOURS"])
    body = found.messages[0].body
    assert "seit heute früh ist meine Webseite nicht erreichbar, der Browser zeigt nur \"500" in body
    assert body.endswith("Mit freundlichen Grüßen\nJürgen Müller")


def test_receipt_goes_out_over_smtp_as_an_auto_reply_with_the_ticket_number(app, session, smtp):
    add_customer(session)
    taken = take(app, mails.UMLAUT_OUTAGE)
    [sent] = smtp.received
    assert sent.recipients == ["juergen.mueller@example.de"]
    assert sent.envelope_from == "<>"  # null return path: nothing answers a receipt
    message = sent.message
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["In-Reply-To"] == "<AM0PR01MB1234.outage@example.de>"
    assert message["Subject"] == f"[{taken.ticket_number}] Eingangsmeldung: Störung: Webseite nicht erreichbar"
    assert f"Ihre Ticketnummer ist {taken.ticket_number}." in sent.text
    assert "innerhalb von 2 Stunden" in sent.text and "Kundennummer" not in sent.text
    [receipt] = receipts(session)
    assert receipt.status == "sent" and receipt.sent_at is not None and receipt.attempts == 1


def test_a_normal_request_is_due_in_24_hours(app, session, smtp):
    add_customer(session)
    found = ticket(session, take(app, mails.QUOTED_PRINTABLE).ticket_number)
    assert found.priority == "normal"
    assert found.due_at - found.created_at == dt.timedelta(hours=24)
    assert found.subject == "Frage zu meinem Postfach ändern"
    assert "Ich finde die Einstellung im Kundeninterface nicht." in found.messages[0].body
    assert found.customer.customer_number == "10001"  # "KdNr: 10001"
    assert "innerhalb von 24 Stunden" in smtp.received[0].text


def test_html_only_mail_is_turned_to_text(app, session, smtp):
    add_customer(session)
    found = ticket(session, take(app, mails.HTML_ONLY).ticket_number)
    body = found.messages[0].body
    assert body == ("Hello,\n\nplease move my domain example.org to my account.\n"
                    "My customer number 10001.\n\n- Grüße")
    assert found.customer is not None


def test_attachments_are_kept_with_their_names_and_bytes(app, session, smtp):
    add_customer(session)
    found = ticket(session, take(app, mails.ATTACHMENTS).ticket_number)
    files = session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [(f.filename, f.content_type, f.data) for f in files] == [
        ("Rechnung März.pdf", "application/pdf", mails.PDF_BYTES),
        ("screenshot.png", "image/png", mails.PNG_BYTES)]
    assert found.messages[0].body == "Kundennummer: 10001. Anbei die Rechnung und ein Bildschirmfoto."


@pytest.mark.parametrize("raw, reason", [
    (mails.BOUNCE, "Auto-Submitted: auto-replied"),
    (mails.OUT_OF_OFFICE, "Auto-Submitted: auto-replied"),
    (mails.MAILING_LIST, "Precedence: list"),
    (mails.OWN_ADDRESS, "sent from our own address"),
    (mails.BOUNCE.replace(b"Auto-Submitted: auto-replied\r\n", b""), "empty return path"),
    (mails.MAILING_LIST.replace(b"Precedence: list\r\n", b""), "mailing list (List-Id)"),
], ids=["bounce", "out-of-office", "mailing-list", "own-address", "null-return-path", "list-id"])
def test_no_receipt_to_machines_lists_or_ourselves_but_still_a_ticket(app, session, smtp, raw, reason):
    taken = take(app, raw)
    assert ticket(session, taken.ticket_number) is not None
    [receipt] = receipts(session)
    assert (receipt.status, receipt.reason) == ("held", reason)
    assert smtp.received == []


def test_a_web_number_alone_gets_a_receipt_asking_for_the_customer_number(app, session, smtp):
    raw = mails.plain("Otto <otto@example.net>", "Mail geht nicht", "Mein Account web123 "
                      "kann keine Mails senden.", "<web-1@example.net>")
    found = ticket(session, take(app, raw).ticket_number)
    assert (found.customer, found.web_number) == (None, "web123")
    text = smtp.received[0].text
    assert "Sie haben uns die Webnummer web123 genannt. Bitte nennen Sie uns Ihre Kundennummer" in text


def test_mail_without_any_number_is_a_ticket_whose_receipt_asks_for_it(app, session, smtp):
    raw = mails.plain("otto@example.net", "Hilfe", "Bitte rufen Sie mich an.", "<none-1@example.net>")
    found = ticket(session, take(app, raw).ticket_number)
    assert found.customer is None and found.status == "open"
    assert "Bitte nennen Sie uns Ihre Kundennummer (nicht nur die Webnummer webNNN)" in smtp.received[0].text


def test_an_unknown_customer_number_is_named_in_the_receipt(app, session, smtp):
    raw = mails.plain("otto@example.net", "Frage", "Kundennummer 99999", "<unknown-1@example.net>")
    take(app, raw)
    assert "Die Kundennummer 99999 kennen wir nicht." in smtp.received[0].text


def test_a_known_sender_address_identifies_the_customer(app, session, smtp):
    add_customer(session, email="Erika@Example.de")
    raw = mails.plain("Erika <erika@example.de>", "Frage", "Wie geht das?", "<addr-1@example.de>")
    assert ticket(session, take(app, raw).ticket_number).customer.customer_number == "10001"


def test_a_reply_joins_its_ticket_by_in_reply_to_and_gets_no_second_receipt(app, session, smtp):
    add_customer(session)
    first = take(app, mails.QUOTED_PRINTABLE)
    receipt_id = smtp.received[0].message["Message-ID"]
    reply = mails.plain("erika@example.de", "Re: Eingangsmeldung", "Noch eine Frage.",
                        "<reply-1@example.de>", extra=f"In-Reply-To: {receipt_id}\nReferences: {receipt_id}\n")
    second = take(app, reply)
    assert (second.ticket_number, second.new_ticket) == (first.ticket_number, False)
    found = ticket(session, first.ticket_number)
    assert [m.body for m in found.messages] [-1] == "Noch eine Frage."
    assert len(smtp.received) == 1 and session.scalar(select(func.count(Ticket.id))) == 1


def test_a_reply_joins_its_ticket_by_the_number_in_the_subject(app, session, smtp):
    first = take(app, mails.plain("otto@example.net", "Frage", "Hallo", "<s-1@example.net>"))
    reply = mails.plain("otto@example.net", f"AW: [{first.ticket_number}] Eingangsmeldung: Frage",
                        "Kundennummer 10001, sorry.", "<s-2@example.net>")
    add_customer(session)
    second = take(app, reply)
    assert second.ticket_number == first.ticket_number
    assert ticket(session, first.ticket_number).customer.customer_number == "10001"


def test_receipts_per_sender_are_limited_per_hour(app, session, smtp):
    for index in range(5):
        take(app, mails.plain("flood@example.net", f"Frage {index}", "Hallo", f"<f-{index}@example.net>"))
    assert [r.status for r in receipts(session)] == ["sent"] * 3 + ["held"] * 2
    assert receipts(session)[-1].reason == "more than 3 receipts to this sender in an hour"
    assert len(smtp.received) == 3


def test_the_raw_mail_is_stored_before_reading_and_kept_when_reading_fails(app, session, smtp, monkeypatch):
    def broken(*_args):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(mail_intake, "take_mail", broken)
    taken = take(app, mails.UMLAUT_OUTAGE)
    assert taken.ticket_number is None and "parser exploded" in taken.error
    item = session.get(IntakeItem, taken.item_id)
    assert item.raw == mails.UMLAUT_OUTAGE
    assert (item.status, item.error) == ("failed", "RuntimeError: parser exploded")
    assert session.scalar(select(func.count(Ticket.id))) == 0


def test_garbage_is_still_stored_and_becomes_a_ticket(app, session, smtp):
    raw = b"\xff\xfe not a mail at all \x00\x01"
    taken = take(app, raw)
    assert session.get(IntakeItem, taken.item_id).raw == raw
    found = ticket(session, taken.ticket_number)
    assert found.subject == "(kein Betreff)" and found.contact_address is None
    assert receipts(session)[0].reason == "no sender address"


def test_each_ticket_message_keeps_its_message_id(app, session, smtp):
    take(app, mails.HTML_ONLY)
    ids = session.scalars(select(TicketMessage.message_id)).all()
    assert ids == ["<html-only-1@mailer.example.org>"]


def test_the_same_mail_delivered_twice_is_kept_twice_but_makes_one_ticket_and_one_receipt(app, session, smtp):
    first = take(app, mails.QUOTED_PRINTABLE)
    second = take(app, mails.QUOTED_PRINTABLE)
    assert (second.ticket_number, second.new_ticket, second.receipt) == (first.ticket_number, False, None)
    assert session.get(IntakeItem, second.item_id).status == "duplicate"
    assert session.scalar(select(func.count(TicketMessage.id))) == 1
    assert len(smtp.received) == 1


@pytest.mark.parametrize("header, held", [
    ("Auto-Submitted: no\n", None),
    ("Auto-Submitted: auto-generated\n", "Auto-Submitted: auto-generated"),
    ("Precedence: bulk\n", "Precedence: bulk"),
    ("X-Auto-Response-Suppress: DR, OOF, AutoReply\n", "X-Auto-Response-Suppress"),
    ("Return-Path: <Bounce+otto=example.net@mailer.example.net>\n", None),
])
def test_receipt_rules_by_header(app, session, smtp, header, held):
    take(app, mails.plain("Otto <otto@example.net>", "Frage", "Kundennummer 1", "<h-1@example.net>", extra=header))
    [receipt] = receipts(session)
    assert receipt.reason == held
    if held is None:
        expected = "bounce+otto=example.net@mailer.example.net" if "Return-Path" in header else "otto@example.net"
        assert smtp.received[0].recipients == [expected]
