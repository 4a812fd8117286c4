"""What agents do with tickets: the list by deadline, one ticket, a reply, closing.

Plain services for the staff web pages: each takes a session and does not commit; after
the commit, `ivr.outbox.send_pending` sends a reply's mail.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ivr.exceptions import ReplyNotPossible, TicketClosed
from ivr.mail_compose import compose
from ivr.models import OutgoingMail, Ticket, TicketMessage
from ivr.outbox import queue_mail
from ivr.tickets import add_message, find_ticket, tagged_subject


def tickets_by_deadline(session: Session, *, include_answered: bool = True,
                        limit: int = 200) -> list[Ticket]:
    """The tickets not closed, the earliest deadline first (high priority first on a tie)."""
    statuses = ("open", "answered") if include_answered else ("open",)
    return list(session.scalars(
        select(Ticket).where(Ticket.status.in_(statuses))
        .order_by(Ticket.due_at, Ticket.priority.desc(), Ticket.id).limit(limit)))


def overdue_tickets(session: Session, now: dt.datetime) -> list[Ticket]:
    """Open tickets past their deadline, the longest overdue first."""
    return list(session.scalars(
        select(Ticket).where(Ticket.status == "open", Ticket.due_at < now)
        .order_by(Ticket.due_at, Ticket.id)))


def ticket_with_messages(session: Session, number: str) -> Ticket:
    """The ticket with its messages and their attachments loaded, for showing it."""
    return find_ticket(session, number,
                       selectinload(Ticket.messages).selectinload(TicketMessage.attachments),
                       selectinload(Ticket.customer))


@dataclass(frozen=True)
class Reply:
    """An agent's reply as stored: the message in the ticket and the mail to send."""

    message: TicketMessage
    mail: OutgoingMail


def reply_to_ticket(session: Session, ticket: Ticket, *, agent: str, text: str,
                    now: dt.datetime, settings: Mapping) -> Reply:
    """Answer an email ticket by mail: threaded under the customer's last message, the
    ticket number in the subject. The ticket is then answered."""
    if ticket.status == "closed":
        raise TicketClosed(f"ticket {ticket.number} is closed")
    if not text.strip():
        raise ReplyNotPossible("a reply needs a text")
    if not ticket.contact_address or "@" not in ticket.contact_address:
        raise ReplyNotPossible(f"ticket {ticket.number} has no email address to reply to")
    messages = list(session.scalars(select(TicketMessage).where(
        TicketMessage.ticket_id == ticket.id).order_by(TicketMessage.id)))
    thread = [m.message_id for m in messages if m.message_id]
    last_incoming = next((m.message_id for m in reversed(messages)
                          if m.direction == "in" and m.message_id), None)
    subject = tagged_subject(ticket, f"Re: {ticket.subject}")[:300]
    mail = compose(settings, to=ticket.contact_address, subject=subject, body=text,
                   in_reply_to=last_incoming or (thread[-1] if thread else None),
                   references=thread)
    message = add_message(session, ticket, direction="out", body=text, at=now, author=agent,
                          subject=subject, message_id=str(mail["Message-ID"]))
    outgoing = queue_mail(session, "reply", ticket, mail)
    ticket.status = "answered"
    return Reply(message=message, mail=outgoing)


def close_ticket(session: Session, ticket: Ticket, now: dt.datetime) -> None:
    """Close the ticket; a new customer message opens it again."""
    ticket.status, ticket.closed_at, ticket.updated_at = "closed", now, now
