"""Agents work tickets: the list by deadline, a reply by SMTP threaded into the customer's
mail with the ticket number in the subject, closing, and reopening by a new message."""
import datetime as dt

import pytest

from ivr.agent_desk import (close_ticket, overdue_tickets, reply_to_ticket, ticket_with_messages,
                            tickets_by_deadline)
from ivr.db import utcnow
from ivr.exceptions import ReplyNotPossible, TicketClosed, TicketNotFound
from ivr.outbox import send_pending
from tests import mails
from tests.intake_steps import add_customer, take, ticket


def numbers(tickets):
    return [t.number for t in tickets]


def test_tickets_are_listed_by_deadline_with_outages_first(app, session, smtp):
    add_customer(session)
    normal = take(app, mails.QUOTED_PRINTABLE).ticket_number
    outage = take(app, mails.UMLAUT_OUTAGE).ticket_number
    other = take(app, mails.HTML_ONLY).ticket_number
    session.expire_all()
    assert numbers(tickets_by_deadline(session)) == [outage, normal, other]
    assert overdue_tickets(session, utcnow()) == []
    assert numbers(overdue_tickets(session, utcnow() + dt.timedelta(hours=3))) == [outage]


def send_reply(app, session, number, text="Das Passwort ändern Sie unter Postfächer."):
    with app.app_context():
        reply = reply_to_ticket(session, ticket(session, number), agent="Anna", text=text,
                                now=utcnow(), settings=app.config)
        session.commit()
        send_pending([reply.mail.id])
    return reply


def test_a_reply_is_sent_threaded_with_the_ticket_number_in_the_subject(app, session, smtp):
    add_customer(session)
    number = take(app, mails.QUOTED_PRINTABLE).ticket_number
    receipt_id = smtp.received[0].message["Message-ID"]
    reply = send_reply(app, session, number)
    sent = smtp.received[1]
    assert sent.recipients == ["erika@example.de"] and sent.envelope_from == "support@candan.eu"
    assert sent.message["Subject"] == f"[{number}] Re: Frage zu meinem Postfach ändern"
    assert sent.message["In-Reply-To"] == "<5f2c1a.qp@example.de>"
    assert sent.message["References"] == "<5f2c1a.qp@example.de>"
    assert sent.message["Auto-Submitted"] is None
    assert sent.text.strip() == "Das Passwort ändern Sie unter Postfächer."
    assert receipt_id != sent.message["Message-ID"] == reply.message.message_id
    found = ticket(session, number)
    assert found.status == "answered" and [m.direction for m in found.messages] == ["in", "out"]
    assert found.messages[1].author == "Anna"


def test_the_customers_answer_to_a_reply_reopens_the_ticket_with_a_new_deadline(app, session, smtp):
    add_customer(session)
    number = take(app, mails.QUOTED_PRINTABLE).ticket_number
    reply = send_reply(app, session, number)
    answer = mails.plain("erika@example.de", "Re: Frage", "Danke, und wo finde ich das?",
                         "<answer-1@example.de>", extra=f"In-Reply-To: {reply.message.message_id}\n")
    assert take(app, answer).ticket_number == number
    found = ticket(session, number)
    assert found.status == "open" and found.due_at > found.messages[-1].at + dt.timedelta(hours=23)
    second = send_reply(app, session, number, text="Unter Einstellungen.")
    assert smtp.received[-1].message["In-Reply-To"] == "<answer-1@example.de>"
    assert smtp.received[-1].message["References"].split() == [
        "<5f2c1a.qp@example.de>", reply.message.message_id, "<answer-1@example.de>"]
    assert second.message.message_id not in smtp.received[-1].message["References"]


def test_closed_tickets_leave_the_list_and_take_no_reply_until_the_customer_writes(app, session, smtp):
    number = take(app, mails.plain("otto@example.net", "Frage", "Hallo", "<c-1@example.net>")).ticket_number
    found = ticket(session, number)
    close_ticket(session, found, utcnow())
    session.commit()
    assert tickets_by_deadline(session) == [] and found.closed_at is not None
    with pytest.raises(TicketClosed, match=number):
        reply_to_ticket(session, found, agent="Anna", text="x", now=utcnow(), settings=app.config)
    take(app, mails.plain("otto@example.net", f"Re: [{number}] Frage", "Noch da?", "<c-2@example.net>"))
    found = ticket(session, number)
    assert found.status == "open" and found.closed_at is None
    assert numbers(tickets_by_deadline(session)) == [number]


def test_a_ticket_is_opened_with_its_messages_and_files(app, session, smtp):
    number = take(app, mails.ATTACHMENTS).ticket_number
    found = ticket_with_messages(session, number.lower())
    assert [a.filename for a in found.messages[0].attachments] == ["Rechnung März.pdf", "screenshot.png"]
    with pytest.raises(TicketNotFound, match="T-999999"):
        ticket_with_messages(session, "T-999999")


def test_a_fax_ticket_cannot_be_answered_by_mail(app, session):
    from ivr.models import IntakeItem
    from ivr.fax import take_fax
    from tests.fax_documents import tiff

    item = IntakeItem(channel="fax", source="test", raw=b"", received_at=utcnow(), meta={})
    session.add(item)
    session.flush()
    found, _document = take_fax(session, item, tiff(1), app.config, sender="+4923811234567",
                     recipient=None, declared_pages=None)
    with pytest.raises(ReplyNotPossible, match="has no email address"):
        reply_to_ticket(session, found, agent="Anna", text="x", now=utcnow(), settings=app.config)


def test_an_out_of_office_answer_to_a_reply_joins_the_ticket_but_does_not_reopen_it(app, session, smtp):
    number = take(app, mails.plain("otto@example.net", "Frage", "Hallo", "<o-1@example.net>")).ticket_number
    reply = send_reply(app, session, number)
    away = mails.OUT_OF_OFFICE.replace(b"Message-ID: <ooo-1@example.com>",
                                       f"In-Reply-To: {reply.message.message_id}".encode())
    assert take(app, away).ticket_number == number
    found = ticket(session, number)
    assert found.status == "answered" and len(found.messages) == 3
