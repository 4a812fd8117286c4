"""Turning a customer's private chat question into a ticket.

The ticket's channel is "chat", its customer the asker when the customer number is known,
its contact address that customer's email (so an agent can answer it by mail), and its
first message the question. The same question turned into a ticket twice gives the same
ticket: its message carries the chat message's id as `<chat-N@domain>`.
"""
from __future__ import annotations

import logging
from typing import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.chat.exceptions import MessageRefused
from ivr.customers import find_customer
from ivr.db import utcnow
from ivr.models import ChatMessage, Staff, Ticket, TicketMessage
from ivr.tickets import add_message, open_ticket

log = logging.getLogger(__name__)

SUBJECT_CHARS = 80


def question_message_id(message: ChatMessage, settings: Mapping) -> str:
    """The id the ticket's first message carries for the chat message."""
    domain = settings["SUPPORT_ADDRESS"].rpartition("@")[2] or "localhost"
    return f"<chat-{message.id}@{domain}>"


def question_subject(body: str) -> str:
    """"Chat: " and the question's first line, shortened."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    if len(first) > SUBJECT_CHARS:
        first = first[:SUBJECT_CHARS - 1].rstrip() + "…"
    return f"Chat: {first}"


def ticket_from_question(session: Session, message: ChatMessage, staff: Staff,
                         settings: Mapping) -> tuple[Ticket, bool]:
    """The ticket for the customer's [Support] question, opened by the staff member:
    (ticket, True) when it was opened now, (ticket, False) when the question had one.

    MessageRefused when the message is not a customer's private question.
    """
    if message.customer_number is None or message.private_for != message.customer_number:
        raise MessageRefused("only a customer's [Support] question can become a ticket")
    key = question_message_id(message, settings)
    existing = session.scalar(select(Ticket).join(TicketMessage, TicketMessage.ticket_id == Ticket.id)
                              .where(TicketMessage.message_id == key).limit(1))
    if existing is not None:
        return existing, False
    customer = find_customer(session, message.customer_number)
    at = message.sent_at or utcnow()
    ticket = open_ticket(session, channel="chat", subject=question_subject(message.body),
                         text=message.body, received_at=at, settings=settings,
                         customer=customer,
                         contact_address=customer.email if customer and customer.email else None,
                         contact_name=message.author_name)
    add_message(session, ticket, direction="in", body=message.body, at=at,
                author=f"{message.author_name} ({message.customer_number})", message_id=key)
    log.info("chat message %s became ticket %s, opened by %s", message.id, ticket.number,
             staff.username)
    return ticket, True
