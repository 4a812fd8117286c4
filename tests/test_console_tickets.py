"""Tickets in the console, through the real endpoints: the list by deadline, a ticket with
its files and fax preview, a reply read back from a real SMTP server, closing, refusals
shown, roles, and the screen pop's tickets."""
import datetime as dt
import re

import pytest

from ivr.db import utcnow
from ivr.fax import take_fax
from ivr.models import IntakeItem
from tests import mails
from tests.fax_documents import tiff
from tests.intake_steps import add_customer, take, ticket


def listed(page: str) -> list[str]:
    return re.findall(r'<tr class="[^"]*" data-number="(T-\d+)"', page)


def row(page: str, number: str) -> str:
    return re.search(rf'<tr class="([^"]*)" data-number="{number}">(.*?)</tr>', page, re.S).group(0)


@pytest.fixture
def anna(make_staff, console):
    make_staff("anna")
    console.login("anna")


@pytest.fixture
def mail_tickets(app, session, smtp):
    """Three mail tickets: a normal one, an outage (due in 2 h), and one gone overdue."""
    add_customer(session)
    normal = take(app, mails.QUOTED_PRINTABLE).ticket_number
    outage = take(app, mails.UMLAUT_OUTAGE).ticket_number
    late = take(app, mails.plain("otto@example.net", "Frage", "Hallo", "<late-1@example.net>")).ticket_number
    ticket(session, late).due_at = utcnow() - dt.timedelta(minutes=5)
    session.commit()
    return {"normal": normal, "outage": outage, "late": late}


def test_the_list_shows_tickets_not_closed_by_deadline(console, anna, mail_tickets, session):
    page = console.client.get("/console/tickets").get_data(as_text=True)
    assert listed(page) == [mail_tickets["late"], mail_tickets["outage"], mail_tickets["normal"]]
    late = row(page, mail_tickets["late"])
    assert 'class="overdue ' in late and re.search(r">overdue by 5:0\d<", late)
    assert ">email<" in late and ">unknown<" in late and ">Frage<" in late
    outage = row(page, mail_tickets["outage"])
    assert "high" in re.search(r'class="([^"]*)"', outage).group(1)
    assert ">10001<" in outage and re.search(r">due in (1:59:\d\d|2:00:00)<", outage)
    assert "Störung: Webseite nicht erreichbar" in outage
    assert re.search(r">due in (23:59:\d\d|24:00:00)<", row(page, mail_tickets["normal"]))
    assert 'href="/console/tickets"' in page  # in the navigation


def test_a_ticket_shows_its_messages_and_files(app, console, anna, session, smtp):
    number = take(app, mails.ATTACHMENTS).ticket_number
    page = console.client.get(f"/console/tickets/{number.lower()}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Anbei die Rechnung und ein Bildschirmfoto." in text
    assert "Rechnung März.pdf" in text and "screenshot.png" in text
    [pdf_link] = re.findall(rf'href="(/console/tickets/{number}/files/\d+)">Rechnung', text)
    download = console.client.get(pdf_link)
    assert download.data == mails.PDF_BYTES
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.mimetype == "application/octet-stream"
    assert console.client.get("/console/tickets/T-000001/files/999").status_code == 404
    assert console.client.get("/console/tickets/T-999999").status_code == 404


def test_a_fax_ticket_shows_the_preview_of_page_one(app, console, anna, session):
    item = IntakeItem(channel="fax", source="test", raw=b"", received_at=utcnow(), meta={})
    session.add(item)
    session.flush()
    found, document = take_fax(session, item, tiff(2), app.config, sender="+4923811234567",
                               recipient=None, declared_pages=2)
    session.commit()
    text = console.client.get(f"/console/tickets/{found.number}").get_data(as_text=True)
    assert "Fax from +4923811234567, 2 page(s)" in text
    src = f"/console/tickets/{found.number}/fax/{document.id}.png"
    assert f'src="{src}"' in text
    image = console.client.get(src)
    assert image.mimetype == "image/png" and image.data.startswith(b"\x89PNG")
    assert image.data == document.preview_png
    refused = console.form(f"/console/tickets/{found.number}/reply", text="Danke für Ihr Fax")
    assert refused.status_code == 400
    assert "Not sent: ticket" in refused.get_data(as_text=True) and "has no email address" in \
        refused.get_data(as_text=True)
    assert ">Danke für Ihr Fax</textarea>" in refused.get_data(as_text=True)  # the text is kept
    assert ticket(session, found.number).status == "open"
    assert len(ticket(session, found.number).messages) == 1


def test_a_reply_goes_out_by_smtp_threaded_and_the_ticket_is_answered(app, console, anna, session, smtp):
    add_customer(session)
    number = take(app, mails.QUOTED_PRINTABLE).ticket_number
    response = console.form(f"/console/tickets/{number}/reply",
                            text="Das Passwort ändern Sie unter Postfächer.")
    assert response.status_code == 303 and response.location.endswith(f"/console/tickets/{number}")
    [receipt, sent] = smtp.received
    assert sent.recipients == ["erika@example.de"] and sent.envelope_from == "support@candan.eu"
    assert sent.message["Subject"] == f"[{number}] Re: Frage zu meinem Postfach ändern"
    assert sent.message["In-Reply-To"] == "<5f2c1a.qp@example.de>"
    assert sent.message["References"] == "<5f2c1a.qp@example.de>"
    assert sent.text.strip() == "Das Passwort ändern Sie unter Postfächer."
    found = ticket(session, number)
    assert found.status == "answered" and found.messages[-1].author == "anna"
    assert found.messages[-1].message_id == sent.message["Message-ID"]
    page = console.client.get(response.location).get_data(as_text=True)
    assert f"Reply to {number} sent to erika@example.de." in page
    assert "Reply by anna" in page and 'id="ticket-status">answered<' in page


def test_an_empty_reply_is_refused_with_the_reason(app, console, anna, session, smtp):
    number = take(app, mails.QUOTED_PRINTABLE).ticket_number
    response = console.form(f"/console/tickets/{number}/reply", text="   ")
    assert response.status_code == 400
    assert "Not sent: a reply needs a text." in response.get_data(as_text=True)
    assert len(smtp.received) == 1  # only the receipt
    assert ticket(session, number).status == "open"


def test_closing_takes_the_ticket_off_the_list_and_a_closed_ticket_takes_no_reply(
        app, console, anna, session, smtp):
    number = take(app, mails.QUOTED_PRINTABLE).ticket_number
    response = console.form(f"/console/tickets/{number}/close")
    assert response.status_code == 303 and response.location.endswith("/console/tickets")
    page = console.client.get("/console/tickets").get_data(as_text=True)
    assert listed(page) == [] and f"Ticket {number} closed." in page
    found = ticket(session, number)
    assert found.status == "closed" and found.closed_at is not None
    refused = console.form(f"/console/tickets/{number}/reply", text="Noch eine Frage?")
    assert refused.status_code == 409
    assert f"Not sent: ticket {number} is closed." in refused.get_data(as_text=True)
    assert len(smtp.received) == 1
    again = console.form(f"/console/tickets/{number}/close")
    assert again.status_code == 409 and "closed already" in again.get_data(as_text=True)


def test_posts_without_the_csrf_token_are_refused(app, console, anna, session, smtp):
    number = take(app, mails.QUOTED_PRINTABLE).ticket_number
    for action in ("reply", "close"):
        response = console.client.post(f"/console/tickets/{number}/{action}", data={"text": "x"})
        assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert ticket(session, number).status == "open" and len(smtp.received) == 1


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_and_admins_work_tickets_too(console, make_staff, role):
    make_staff("sue", role=role)
    console.login("sue")
    assert console.client.get("/console/tickets").status_code == 200


def test_finance_is_refused_and_anonymous_users_go_to_the_login(app, client, console, make_staff,
                                                              session, smtp):
    number = take(app, mails.QUOTED_PRINTABLE).ticket_number
    for path in ("/console/tickets", f"/console/tickets/{number}"):
        response = client.get(path)
        assert response.status_code == 302 and "/console/login?next=" in response.location
    make_staff("fiona", role="finance")
    console.login("fiona")
    response = client.get("/console/tickets")
    assert response.status_code == 403
    assert "This page is not for the finance role." in response.get_data(as_text=True)
    assert console.form(f"/console/tickets/{number}/close").status_code == 403
    assert ticket(session, number).status == "open"


def test_the_screen_pop_lists_the_callers_customers_recent_tickets(app, console, anna, session, smtp,
                                                                   waiting_call, twilio_api):
    erika = add_customer(session)
    first = take(app, mails.QUOTED_PRINTABLE).ticket_number
    second = take(app, mails.ATTACHMENTS).ticket_number
    take(app, mails.plain("otto@example.net", "Frage", "Hallo", "<other-1@example.net>"))
    console.form(f"/console/tickets/{first}/close")
    call = waiting_call("CA-erika", customer_id=erika.id)
    assert console.json("/console/queue/take", {"call_id": call.id}).status_code == 200
    pop = console.client.get("/console/queue/state").get_json()["call"]
    assert pop["tickets"] == [
        {"reference": second, "subject": "Rechnung fehlt", "status": "open",
         "url": f"/console/tickets/{second}"},
        {"reference": first, "subject": "Frage zu meinem Postfach ändern", "status": "closed",
         "url": f"/console/tickets/{first}"},
    ]


def test_an_unknown_caller_sees_the_tickets_of_their_fax_number(app, session):
    from ivr.console.ticket_finder import recent_tickets

    item = IntakeItem(channel="fax", source="test", raw=b"", received_at=utcnow(), meta={})
    session.add(item)
    session.flush()
    found, _document = take_fax(session, item, tiff(1), app.config, sender="+4923811234567",
                                recipient=None, declared_pages=None)
    session.commit()
    with app.test_request_context():
        assert [t["reference"] for t in recent_tickets(session, None, "+4923811234567")] == [found.number]
        assert recent_tickets(session, None, "+4915100000000") == []
        assert recent_tickets(session, None, None) == []
