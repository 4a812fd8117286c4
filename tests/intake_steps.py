"""Shared steps of the intake tests: customers, taking a mail, reading rows back."""
from __future__ import annotations

from sqlalchemy import select

from ivr.mail_intake import Taken, receive_mail
from ivr.models import Customer, OutgoingMail, Ticket


def add_customer(session, number: str = "10001", email: str = "erika@example.de",
                 phone: str | None = None) -> Customer:
    customer = Customer(customer_number=number, name="Erika Mustermann", email=email, phone=phone)
    session.add(customer)
    session.commit()
    return customer


def take(app, raw: bytes, source: str = "test") -> Taken:
    """Hand a raw mail to the intake as the mail gate does."""
    with app.app_context():
        return receive_mail(raw, source, app.config)


def ticket(session, number: str) -> Ticket:
    session.expire_all()
    return session.scalar(select(Ticket).where(Ticket.number == number))


def receipts(session) -> list[OutgoingMail]:
    session.expire_all()
    return list(session.scalars(select(OutgoingMail).where(OutgoingMail.kind == "receipt")
                                .order_by(OutgoingMail.id)))
