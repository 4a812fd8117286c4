"""The screen pop's tickets: the caller's customer's recent tickets (or, for a caller who
is not known as a customer, the tickets whose contact is the calling number, such as faxes
from it)."""
from __future__ import annotations

from typing import Optional

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.models import Customer, Ticket

RECENT_TICKETS = 5


def recent_tickets(session: Session, customer: Optional[Customer],
                   caller: Optional[str]) -> list[dict]:
    """The latest tickets of the customer (else of the calling number), newest first, as
    `{"reference", "subject", "status", "url"}` for `ivr.console.screen`."""
    if customer is not None:
        same = Ticket.customer_id == customer.id
    elif caller:
        same = Ticket.contact_address == caller
    else:
        return []
    tickets = session.scalars(select(Ticket).where(same)
                              .order_by(Ticket.created_at.desc(), Ticket.id.desc())
                              .limit(RECENT_TICKETS))
    return [{"reference": ticket.number, "subject": ticket.subject, "status": ticket.status,
             "url": url_for("console_tickets.detail", number=ticket.number)}
            for ticket in tickets]
