"""Customers and their web accounts: lookups for the hotline and the CSV import."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from typing import IO, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.exceptions import BadImportRow
from ivr.keypad import NotTypeable, keypad_signature
from ivr.models import Customer, WebAccount
from ivr.passwords import hash_activation_password
from ivr.phone import caller_line

IMPORT_COLUMNS = ("customer_number", "name", "email", "phone", "web_number", "domain",
                  "activation_password")
CUSTOMER_NUMBER = re.compile(r"\d{1,20}")
WEB_NUMBER = re.compile(r"web(\d{1,17})", re.IGNORECASE)
DOMAIN = re.compile(r"(?=.{1,253}$)([^.\s]{1,63}\.)+[^.\s]{2,63}")


def find_customer(session: Session, customer_number: str) -> Optional[Customer]:
    """The customer with that customer number, if any."""
    return session.scalar(select(Customer).where(Customer.customer_number == customer_number))


def is_web_number(session: Session, digits: str) -> bool:
    """Whether the digits are those of a web number `webNNN`."""
    return session.scalar(
        select(WebAccount.id).where(WebAccount.web_number == f"web{digits}")
    ) is not None


@dataclass
class ImportReport:
    """What an import did: rows created, updated, and refused with line number and reason."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_customers(session: Session, stream: IO[str]) -> ImportReport:
    """Import customers and web accounts from CSV; each good row is kept, bad ones reported."""
    report = ImportReport()
    reader = csv.DictReader(stream)
    missing = [c for c in IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    for row in reader:
        line = reader.line_num
        try:
            with session.begin_nested():
                created = _import_row(session, row)
        except BadImportRow as exc:
            report.errors.append((line, str(exc)))
            continue
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report


def _import_row(session: Session, row: dict[str, Optional[str]]) -> bool:
    values = {key: (row.get(key) or "").strip() for key in IMPORT_COLUMNS}
    number, web_number = values["customer_number"], values["web_number"].lower()
    if not CUSTOMER_NUMBER.fullmatch(number):
        raise BadImportRow(f"customer_number {number!r} is not 1 to 20 digits")
    if not values["name"]:
        raise BadImportRow("name is empty")
    if not WEB_NUMBER.fullmatch(web_number):
        raise BadImportRow(f"web_number {web_number!r} is not of the form webNNN")
    if values["email"] and "@" not in values["email"]:
        raise BadImportRow(f"email {values['email']!r} has no @")
    domain = values["domain"].lower().rstrip(".")
    if not DOMAIN.fullmatch(domain):
        raise BadImportRow(f"domain {domain!r} is not a domain name")
    try:
        signature = keypad_signature(domain)
        password_hash = (hash_activation_password(values["activation_password"])
                         if values["activation_password"] else None)
    except NotTypeable as exc:
        raise BadImportRow(str(exc)) from None
    phone = caller_line(values["phone"])[0] if values["phone"] else None

    customer = find_customer(session, number)
    if customer is None:
        customer = Customer(customer_number=number, name=values["name"])
        session.add(customer)
    customer.name = values["name"]
    customer.email = values["email"] or None
    customer.phone = phone

    account = session.scalar(select(WebAccount).where(WebAccount.web_number == web_number))
    created = account is None
    if account is None:
        account = WebAccount(web_number=web_number, status="pending")
        session.add(account)
    elif account.customer is not customer:
        raise BadImportRow(
            f"{web_number} belongs to customer {account.customer.customer_number}, not {number}"
        )
    account.customer = customer
    account.domain = domain
    account.keypad_signature = signature
    if password_hash:
        account.activation_password_hash = password_hash
    session.flush()
    return created
