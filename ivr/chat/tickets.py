"""Turning a customer's private chat question into a ticket.

This installation has no tickets yet: `ticket_from_question` checks what it is given and
then says so. Wiring it to tickets means replacing its last line.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ivr.chat.exceptions import MessageRefused, TicketsNotAvailable
from ivr.models import ChatMessage, Staff


def ticket_from_question(session: Session, message: ChatMessage, staff: Staff) -> object:
    """A ticket for the customer's [Support] question, opened by the staff member.

    MessageRefused when the message is not a customer's private question;
    TicketsNotAvailable always otherwise, until tickets exist.
    """
    if message.customer_number is None or message.private_for != message.customer_number:
        raise MessageRefused("only a customer's [Support] question can become a ticket")
    raise TicketsNotAvailable("tickets are not available in this installation yet: "
                              "answer the question in the chat or by email")
