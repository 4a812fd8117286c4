"""Requests from the customer interface: JSON carrying the customer's data, already signed
by the interface, so the customer is known without searching the text."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Mapping, Optional

from sqlalchemy.orm import Session

from ivr.customers import CUSTOMER_NUMBER, WEB_NUMBER, find_customer
from ivr.exceptions import BadIntakeRequest
from ivr.identify import Identity
from ivr.mail_parse import clean_text
from ivr.models import IntakeItem, OutgoingMail, Ticket
from ivr.receipts import Request, plan_receipt
from ivr.tickets import add_message, open_ticket

MAX_MESSAGE = 100_000


@dataclass(frozen=True)
class FormRequest:
    """A request as the customer interface sends it."""

    customer_number: str
    email: str
    subject: str
    message: str
    name: Optional[str] = None
    web_number: Optional[str] = None


def parse_form(raw: bytes) -> FormRequest:
    """The request in a JSON body; BadIntakeRequest names the field that is wrong."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadIntakeRequest(f"the body is not UTF-8 JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadIntakeRequest("the body must be a JSON object")

    def text(name: str, limit: int, required: bool = True) -> Optional[str]:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise BadIntakeRequest(f"{name} is missing")
            return None
        if not isinstance(value, str) or len(value) > limit:
            raise BadIntakeRequest(f"{name} must be a string of at most {limit} characters")
        return clean_text(value).strip()

    number = text("customer_number", 20)
    if not CUSTOMER_NUMBER.fullmatch(number):
        raise BadIntakeRequest("customer_number must be digits")
    email = text("email", 320)
    if "@" not in email:
        raise BadIntakeRequest("email is not an email address")
    web_number = text("web_number", 20, required=False)
    if web_number and not WEB_NUMBER.fullmatch(web_number):
        raise BadIntakeRequest("web_number must look like web123")
    return FormRequest(customer_number=number, email=email.lower(),
                       subject=text("subject", 300), message=text("message", MAX_MESSAGE),
                       name=text("name", 200, required=False),
                       web_number=web_number.lower() if web_number else None)


def take_form(session: Session, item: IntakeItem, form: FormRequest,
              settings: Mapping) -> tuple[Ticket, OutgoingMail]:
    """Open the ticket of a customer-interface request and plan its receipt."""
    customer = find_customer(session, form.customer_number)
    ticket = open_ticket(session, channel="email", subject=form.subject, text=form.message,
                         received_at=item.received_at, settings=settings, customer=customer,
                         web_number=form.web_number, contact_address=form.email,
                         contact_name=form.name)
    add_message(session, ticket, direction="in", body=form.message, at=item.received_at,
                author=form.email, subject=form.subject, intake_item=item)
    identity = Identity(customer=customer, named_number=form.customer_number,
                        web_number=form.web_number)
    own = form.email == settings["SUPPORT_ADDRESS"].lower()
    receipt = plan_receipt(session, ticket, identity, form.email, Request(form.subject),
                           item.received_at, settings,
                           held_back="sent from our own address" if own else None)
    item.status, item.ticket_id = "ticketed", ticket.id
    return ticket, receipt
