"""The screen pop: what an agent sees about the call in hand.

The caller, the customer with their web accounts, recent calls, and tickets. Tickets come
from the finders registered with `add_ticket_finder(app, finder)`: a finder gets the
session, the customer (or None) and the caller's number and returns a list of
`{"reference", "subject", "status", "url"}` dicts; the console shows them as they come.
"""
from __future__ import annotations

from typing import Callable, Optional

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.console.display import local_time, mask_number
from ivr.models import Call, Customer

RECENT_CALLS = 5
TicketFinder = Callable[[Session, Optional[Customer], Optional[str]], list[dict]]
EXTENSION = "console.ticket_finders"


def add_ticket_finder(app: Flask, finder: TicketFinder) -> None:
    """Register a source of tickets for the screen pop."""
    app.extensions.setdefault(EXTENSION, []).append(finder)


def recent_calls(session: Session, call: Call) -> list[Call]:
    """The customer's (or else the number's) latest other calls."""
    if call.customer_id is not None:
        same = Call.customer_id == call.customer_id
    elif call.caller:
        same = Call.caller == call.caller
    else:
        return []
    return list(session.scalars(
        select(Call).where(same, Call.id != call.id)
        .order_by(Call.started_at.desc(), Call.id.desc()).limit(RECENT_CALLS)
    ))


def screen_pop(session: Session, call: Call) -> dict:
    """The call in hand as JSON-ready data."""
    customer = call.customer
    tickets: list[dict] = []
    for finder in current_app.extensions.get(EXTENSION, []):
        tickets.extend(finder(session, customer, call.caller))
    return {
        "id": call.id,
        "caller": call.caller or "anonymous",
        "intent": call.intent,
        "language": call.language,
        "answered": call.answered_at is not None,
        "customer": None if customer is None else {
            "number": customer.customer_number, "name": customer.name,
            "email": customer.email, "phone": customer.phone,
        },
        "web_accounts": [] if customer is None else [
            {"web_number": account.web_number, "domain": account.domain, "status": account.status}
            for account in customer.web_accounts
        ],
        "recent_calls": [
            {"started": local_time(other.started_at), "intent": other.intent,
             "result": other.queue_result, "talk_seconds": other.talk_seconds,
             "caller": mask_number(other.caller)}
            for other in recent_calls(session, call)
        ],
        "tickets": tickets,
    }
