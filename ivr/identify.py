"""Who wrote: the customer by the number named in the text, else by a known sender address."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ivr.customers import find_customer
from ivr.models import Customer

#: "Kundennummer 10001", "Kunden-Nr. 10001", "KdNr: 10001", "customer number 10001", ...
CUSTOMER_NUMBER_IN_TEXT = re.compile(
    r"(?:kunden\s*-?\s*(?:nummer|nr\.?)|kd\.?\s*-?\s*nr\.?|customer\s*(?:number|no\.?|id|#))"
    r"\s*[:#.=]?\s*(\d{1,20})\b",
    re.IGNORECASE,
)
WEB_NUMBER_IN_TEXT = re.compile(r"\bweb\s?(\d{1,17})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Identity:
    """What the text and sender tell about the customer."""

    customer: Optional[Customer]
    named_number: Optional[str]  # a customer number named in the text, known or not
    web_number: Optional[str]  # a web number `webNNN` named in the text


def identify(session: Session, text: str, sender_address: Optional[str]) -> Identity:
    """The customer named in the text (subject and body), else the one with that address."""
    named = CUSTOMER_NUMBER_IN_TEXT.search(text)
    number = named.group(1) if named else None
    web = WEB_NUMBER_IN_TEXT.search(text)
    web_number = f"web{web.group(1)}" if web else None
    customer = find_customer(session, number) if number else None
    if customer is None and sender_address:
        customer = customer_by_address(session, sender_address)
    return Identity(customer=customer, named_number=number, web_number=web_number)


def customer_by_address(session: Session, address: str) -> Optional[Customer]:
    """The one customer with that email address (case-insensitive); None if none or several."""
    found = session.scalars(
        select(Customer).where(func.lower(Customer.email) == address.lower()).limit(2)
    ).all()
    return found[0] if len(found) == 1 else None
