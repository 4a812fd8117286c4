"""A [Support] question can be turned into a ticket once tickets exist; until then the
agent is told so."""
import pytest

from ivr.chat.exceptions import TicketsNotAvailable
from ivr.chat.tickets import ticket_from_question
from ivr.models import ChatMessage, Staff


def test_turning_a_question_into_a_ticket_says_tickets_are_not_available(customer, support):
    erika = customer("10001", "Erika")
    question = erika.say("Bitte Rückruf", to_support=True)
    response = support.json(f"/console/chat/messages/{question['id']}/ticket")
    assert response.status_code == 501
    assert "tickets are not available" in response.get_json()["error"]


def test_only_a_customers_private_question_can_become_a_ticket(customer, support):
    erika = customer("10001", "Erika")
    public = erika.say("Allgemeine Frage")
    response = support.json(f"/console/chat/messages/{public['id']}/ticket")
    assert response.status_code == 400 and "[Support] question" in response.get_json()["error"]
    answer = support.say("Antwort").get_json()
    assert support.json(f"/console/chat/messages/{answer['id']}/ticket").status_code == 400
    assert support.json("/console/chat/messages/999999/ticket").status_code == 404


def test_the_conversion_function_raises_not_available_for_a_question(session):
    question = ChatMessage(customer_number="10001", private_for="10001", author_name="Erika", body="?")
    with pytest.raises(TicketsNotAvailable, match="not available"):
        ticket_from_question(session, question, Staff(username="anna"))
