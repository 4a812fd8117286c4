"""Email intake: a stored raw mail becomes a new ticket or joins its ticket, and a new
ticket gets its receipt."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Mapping, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr import intake
from ivr.db import new_session, utcnow
from ivr.identify import identify
from ivr.mail_parse import parse_mail
from ivr.models import IntakeItem, OutgoingMail, Ticket, TicketMessage
from ivr.outbox import send_pending
from ivr.receipts import (Request, plan_receipt, receipt_address, why_automatic,
                          why_no_receipt)
from ivr.tickets import add_message, customer_wrote, open_ticket, ticket_of_thread

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Taken:
    """What became of a received item: its id, its ticket, whether the ticket is new."""

    item_id: int
    ticket_number: Optional[str]
    new_ticket: bool
    receipt: Optional[str] = None  # pending | held (with reason) | None for no receipt
    error: Optional[str] = None


def take_mail(session: Session, item: IntakeItem, settings: Mapping) -> tuple[Ticket, bool,
                                                                               Optional[OutgoingMail]]:
    """Read a stored mail into a ticket: a reply joins its ticket, anything else opens one.
    Returns the ticket, whether it is new, and the new ticket's receipt row."""
    mail = parse_mail(item.raw)
    now = item.received_at
    earlier = already_taken(session, mail.message_id)
    if earlier is not None:  # the same mail delivered again (an MTA's retry, a second alias)
        item.status, item.ticket_id, item.error = "duplicate", earlier.id, None
        return earlier, False, None
    thread_ids = [*mail.in_reply_to, *reversed(mail.references)]
    ticket = ticket_of_thread(session, mail.subject, thread_ids)
    new = ticket is None
    identity = identify(session, f"{mail.subject}\n{mail.text}", mail.sender_address)
    if ticket is None:
        ticket = open_ticket(session, channel="email", subject=mail.subject, text=mail.text,
                             received_at=now, settings=settings, customer=identity.customer,
                             web_number=identity.web_number,
                             contact_address=mail.reply_address, contact_name=mail.sender_name)
    elif why_automatic(mail) is None:  # an out-of-office note does not reopen a ticket
        customer_wrote(ticket, mail.text, now, settings)
        if ticket.customer is None and identity.customer is not None:
            ticket.customer = identity.customer
    add_message(session, ticket, direction="in", body=mail.text, at=now,
                author=mail.sender_address, subject=mail.subject, message_id=mail.message_id,
                intake_item=item, files=mail.attachments)
    receipt = None
    if new:
        receipt = plan_receipt(session, ticket, identity, receipt_address(mail),
                               Request(mail.subject, mail.message_id), utcnow(), settings,
                               held_back=why_no_receipt(mail, settings))
    item.status, item.ticket_id, item.error = "ticketed", ticket.id, None
    return ticket, new, receipt


def already_taken(session: Session, message_id: Optional[str]) -> Optional[Ticket]:
    """The ticket that already holds the incoming mail with this Message-ID, if any."""
    if not message_id:
        return None
    ticket_id = session.scalar(select(TicketMessage.ticket_id).where(
        TicketMessage.message_id == message_id, TicketMessage.direction == "in").limit(1))
    return session.get(Ticket, ticket_id) if ticket_id is not None else None


def receive_mail(raw: bytes, source: str, settings: Mapping) -> Taken:
    """Store a raw mail (committed first), read it into its ticket, start its receipt.

    Storing is the only step that may fail the caller (the database is down: try again
    later). A failure to read a stored mail is recorded on it and logged.
    """
    with new_session() as session:
        with session.begin():
            item_id = intake.store_raw(session, channel="email", source=source, raw=raw,
                                       content_type="message/rfc822").id
        return process_item(session, item_id, settings)


def process_item(session: Session, item_id: int, settings: Mapping) -> Taken:
    """Read one stored mail into its ticket in a transaction of its own; a mail already
    read is left as it is."""
    try:
        with session.begin():
            item = session.get(IntakeItem, item_id)
            if item is None or item.channel != "email" or item.status in ("ticketed", "duplicate"):
                return Taken(item_id, None, False, error="not an unread stored mail")
            ticket, new, receipt = take_mail(session, item, settings)
    except Exception as exc:  # the raw mail is stored: record why it was not read
        log.exception("stored mail %s could not be read into a ticket", item_id)
        try:
            with session.begin():
                intake.mark_failed(session, item_id, exc)
        except Exception:  # the database went away: the item stays `received`, the check sees it
            log.exception("stored mail %s could not be marked as failed", item_id)
        return Taken(item_id, None, False, error=str(exc))
    send_pending([receipt.id] if receipt is not None and receipt.status == "pending" else [])
    return Taken(item_id, ticket.number, new, receipt=receipt.status if receipt else None)
