"""Tickets: opened by the intake, joined by replies, each with its number and deadline."""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Mapping, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.deadlines import deadline_for
from ivr.exceptions import TicketNotFound
from ivr.models import Attachment, Customer, IntakeItem, OutgoingMail, Ticket, TicketMessage

CHANNELS = ("email", "fax", "chat", "phone")
#: The ticket number as it stands in a subject: "[T-000042]".
SUBJECT_TAG = re.compile(r"\[(T-\d{6,12})\]")


def ticket_number(ticket_id: int) -> str:
    """The number customers and agents see for a ticket id."""
    return f"T-{ticket_id:06d}"


def tagged_subject(ticket: Ticket, subject: str) -> str:
    """The subject with the ticket's number in it, once."""
    tag = f"[{ticket.number}]"
    return subject if tag in subject else f"{tag} {subject}".strip()


def open_ticket(session: Session, *, channel: str, subject: str, text: str,
                received_at: dt.datetime, settings: Mapping,
                customer: Optional[Customer] = None, web_number: Optional[str] = None,
                contact_address: Optional[str] = None,
                contact_name: Optional[str] = None) -> Ticket:
    """A new open ticket, due by the deadline its subject and text call for."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    deadline = deadline_for(f"{subject}\n{text}", received_at, settings)
    ticket = Ticket(channel=channel, subject=(subject or "(kein Betreff)")[:300],
                    customer=customer, web_number=web_number,
                    contact_address=contact_address, contact_name=(contact_name or None),
                    status="open", priority=deadline.priority, due_at=deadline.due_at,
                    created_at=received_at, updated_at=received_at)
    session.add(ticket)
    session.flush()
    ticket.number = ticket_number(ticket.id)
    return ticket


def add_message(session: Session, ticket: Ticket, *, direction: str, body: str,
                at: dt.datetime, author: Optional[str] = None, subject: Optional[str] = None,
                message_id: Optional[str] = None, intake_item: Optional[IntakeItem] = None,
                files: Iterable = ()) -> TicketMessage:
    """Add a message (with its files: objects with filename, content_type, data)."""
    message = TicketMessage(ticket=ticket, direction=direction, at=at, author=author,
                            subject=(subject or "")[:300] or None, message_id=message_id,
                            body=body, intake_item_id=intake_item.id if intake_item else None)
    session.add(message)
    for file in files:
        message.attachments.append(Attachment(filename=file.filename,
                                              content_type=file.content_type[:200],
                                              size=len(file.data), data=file.data))
    ticket.updated_at = at
    return message


def customer_wrote(ticket: Ticket, text: str, at: dt.datetime, settings: Mapping) -> None:
    """A new customer message: an answered or closed ticket is open again with a new
    deadline; an open one keeps the earlier of its deadline and the new one."""
    deadline = deadline_for(f"{ticket.subject}\n{text}", at, settings)
    if ticket.status == "open":
        ticket.due_at = min(ticket.due_at, deadline.due_at)
    else:
        ticket.status, ticket.due_at, ticket.closed_at = "open", deadline.due_at, None
    if deadline.priority == "high":
        ticket.priority = "high"


def find_ticket(session: Session, number: str, *options) -> Ticket:
    """The ticket with that number (as typed: case and spaces do not matter), loaded with
    the given loader options; TicketNotFound when there is none."""
    ticket = session.scalar(
        select(Ticket).where(Ticket.number == number.strip().upper()).options(*options))
    if ticket is None:
        raise TicketNotFound(f"there is no ticket {number!r}")
    return ticket


def ticket_of_thread(session: Session, subject: str,
                     message_ids: Sequence[str]) -> Optional[Ticket]:
    """The ticket a message continues: by the number in its subject, else by the message
    ids it answers (ours or the customer's earlier ones)."""
    tag = SUBJECT_TAG.search(subject or "")
    if tag:
        ticket = session.scalar(select(Ticket).where(Ticket.number == tag.group(1)))
        if ticket is not None:
            return ticket
    ids = [value for value in message_ids if value][:50]
    if not ids:
        return None
    ticket_id = session.scalar(
        select(TicketMessage.ticket_id).where(TicketMessage.message_id.in_(ids)).limit(1))
    if ticket_id is None:
        ticket_id = session.scalar(
            select(OutgoingMail.ticket_id).where(OutgoingMail.message_id.in_(ids)).limit(1))
    return session.get(Ticket, ticket_id) if ticket_id is not None else None
