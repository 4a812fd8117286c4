"""A [Support] question becomes a ticket: channel chat, the asker's customer and email, the
question as its first message; the agent is told its number."""
from sqlalchemy import select

from ivr.chat.tickets import question_subject
from ivr.models import Customer, Ticket


def add_erika(session, email="erika@example.de"):
    session.add(Customer(customer_number="10001", name="Erika Mustermann", email=email))
    session.commit()


def tickets(session):
    session.expire_all()
    return list(session.scalars(select(Ticket).order_by(Ticket.id)))


def test_a_question_becomes_a_ticket_of_the_known_customer(customer, support, session):
    add_erika(session)
    erika = customer("10001", "Erika")
    question = erika.say("Bitte Rückruf wegen meiner Domain\nDanke", to_support=True)
    response = support.json(f"/console/chat/messages/{question['id']}/ticket")
    assert response.status_code == 201, response.get_data(as_text=True)
    [ticket] = tickets(session)
    assert response.get_json() == {"ticket": ticket.number,
                                   "url": f"/console/tickets/{ticket.number}"}
    assert ticket.number == "T-000001" and ticket.channel == "chat" and ticket.status == "open"
    assert ticket.customer.customer_number == "10001"
    assert ticket.contact_address == "erika@example.de" and ticket.contact_name == "Erika"
    assert ticket.subject == "Chat: Bitte Rückruf wegen meiner Domain"
    [message] = ticket.messages
    assert message.direction == "in" and message.body == "Bitte Rückruf wegen meiner Domain\nDanke"
    assert message.author == "Erika (10001)"


def test_the_same_question_twice_gives_the_same_ticket(customer, support, session):
    erika = customer("10001", "Erika")
    question = erika.say("Server down?", to_support=True)
    first = support.json(f"/console/chat/messages/{question['id']}/ticket")
    again = support.json(f"/console/chat/messages/{question['id']}/ticket")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["ticket"] == again.get_json()["ticket"]
    [ticket] = tickets(session)
    assert ticket.priority == "high"  # an outage report is due sooner


def test_an_unknown_customer_number_makes_a_ticket_without_customer_or_address(customer, support,
                                                                             session):
    otto = customer("99999", "Otto")
    question = otto.say("Wie ändere ich mein Passwort?", to_support=True)
    assert support.json(f"/console/chat/messages/{question['id']}/ticket").status_code == 201
    [ticket] = tickets(session)
    assert ticket.customer is None and ticket.contact_address is None
    page = support.client.get(f"/console/tickets/{ticket.number}")
    assert "Wie ändere ich mein Passwort?" in page.get_data(as_text=True)
    refused = support.form(f"/console/tickets/{ticket.number}/reply", text="Hallo Otto")
    assert refused.status_code == 400 and "no email address" in refused.get_data(as_text=True)


def test_only_a_customers_private_question_can_become_a_ticket(customer, support, session):
    erika = customer("10001", "Erika")
    public = erika.say("Allgemeine Frage")
    response = support.json(f"/console/chat/messages/{public['id']}/ticket")
    assert response.status_code == 400 and "[Support] question" in response.get_json()["error"]
    answer = support.say("Antwort").get_json()
    assert support.json(f"/console/chat/messages/{answer['id']}/ticket").status_code == 400
    assert support.json("/console/chat/messages/999999/ticket").status_code == 404
    assert tickets(session) == []


def test_the_subject_is_the_first_line_shortened():
    assert question_subject("\n  Hallo  \nmehr") == "Chat: Hallo"
    long = question_subject("x" * 200)
    assert len(long) == len("Chat: ") + 80 and long.endswith("…")
