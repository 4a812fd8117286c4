"""Receipts (Eingangsmeldungen): within the hour, to people only (RFC 3834), a few per
sender and hour, each marked `Auto-Submitted: auto-replied`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ivr.identify import Identity
from ivr.mail_compose import compose
from ivr.mail_parse import ParsedMail
from ivr.models import OutgoingMail, Ticket
from ivr.outbox import queue_mail
from ivr.tickets import tagged_subject

LIST_HEADERS = ("List-Id", "List-Post", "List-Unsubscribe", "List-Help")
BULK_PRECEDENCE = ("bulk", "list", "junk", "auto_reply")
DAEMON_NAMES = ("mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply")


def why_no_receipt(mail: ParsedMail, settings: Mapping) -> Optional[str]:
    """Why this mail gets no receipt (RFC 3834 and our own address), or None if it gets one."""
    automatic = why_automatic(mail)
    if automatic is not None:
        return automatic
    address = receipt_address(mail)
    if address is None:
        return "no sender address"
    if address.partition("@")[0] in DAEMON_NAMES:
        return f"sender {address} is a mail system"
    if address == settings["SUPPORT_ADDRESS"].lower():
        return "sent from our own address"
    return None


def why_automatic(mail: ParsedMail) -> Optional[str]:
    """The header that marks the mail as sent by a machine or a list (RFC 3834), if any."""
    auto_submitted = mail.header("Auto-Submitted").strip().lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto_submitted[:40]}"
    precedence = mail.header("Precedence").strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in LIST_HEADERS:
        if mail.header(name):
            return f"mailing list ({name})"
    if mail.header("Return-Path").strip() == "<>":
        return "empty return path"
    if mail.message.get_content_type() == "multipart/report":
        return "delivery report"
    suppressed = {word.strip() for word in mail.header("X-Auto-Response-Suppress").lower().split(",")}
    if suppressed & {"all", "autoreply", "oof"}:
        return "X-Auto-Response-Suppress"
    return None


def receipt_address(mail: ParsedMail) -> Optional[str]:
    """Where a receipt goes: the return path when the MTA recorded it, else the sender."""
    return_path = mail.header("Return-Path").strip().strip("<>").strip().lower()
    if "@" in return_path and len(return_path) <= 320:
        return return_path
    return mail.sender_address


def receipts_sent_recently(session: Session, address: str, now: dt.datetime) -> int:
    """How many receipts went to the address in the last hour (sending or sent)."""
    return session.scalar(
        select(func.count(OutgoingMail.id)).where(
            OutgoingMail.kind == "receipt", OutgoingMail.recipient == address,
            OutgoingMail.status.in_(("pending", "sent")),
            OutgoingMail.created_at > now - dt.timedelta(hours=1)))


@dataclass(frozen=True)
class Request:
    """What a receipt answers: the request's subject and message id."""

    subject: str
    message_id: Optional[str] = None


def receipt_text(ticket: Ticket, identity: Identity, settings: Mapping) -> str:
    """The receipt's text, German then English; without a known customer it asks for the
    customer number, naming a web number that was given instead."""
    hours = settings["OUTAGE_DUE_HOURS"] if ticket.priority == "high" else settings["TICKET_DUE_HOURS"]
    lines = [
        "Guten Tag,", "",
        f"wir haben Ihre Anfrage erhalten. Ihre Ticketnummer ist {ticket.number}.",
        "Bitte antworten Sie auf diese Nachricht oder nennen Sie die Ticketnummer im Betreff,",
        "wenn Sie uns dazu noch etwas schreiben.",
        f"Wir antworten innerhalb von {hours} Stunden.",
    ]
    english = [
        f"We have received your request. Your ticket number is {ticket.number}.",
        f"We will answer within {hours} hours.",
    ]
    if ticket.customer is None:
        if identity.named_number:
            lines += ["", f"Die Kundennummer {identity.named_number} kennen wir nicht. Bitte prüfen "
                      "Sie Ihre Kundennummer und nennen Sie sie uns,"]
        elif identity.web_number:
            lines += ["", f"Sie haben uns die Webnummer {identity.web_number} genannt. Bitte nennen "
                      "Sie uns Ihre Kundennummer, nicht die Webnummer,"]
        else:
            lines += ["", "Bitte nennen Sie uns Ihre Kundennummer (nicht nur die Webnummer webNNN),"]
        lines += ["damit wir Ihre Anfrage schnell beantworten können: antworten Sie auf diese",
                  "Nachricht mit \"Kundennummer\" und Ihrer Nummer."]
        english += ["Please tell us your customer number (not the web number webNNN) by "
                    "replying with \"customer number\" and your number."]
    lines += ["", "Dies ist eine automatische Eingangsmeldung.", "", "Ihr Kundensupport", "", "--"]
    return "\n".join(lines + english) + "\n"


def plan_receipt(session: Session, ticket: Ticket, identity: Identity, address: Optional[str],
                 request: Request, now: dt.datetime, settings: Mapping,
                 held_back: Optional[str] = None) -> OutgoingMail:
    """The receipt for a new ticket: a pending mail, or a row saying why none is sent."""
    if held_back is None and address is None:
        held_back = "no sender address"
    if held_back is None and receipts_sent_recently(session, address, now) >= \
            settings["RECEIPTS_PER_SENDER_PER_HOUR"]:
        held_back = f"more than {settings['RECEIPTS_PER_SENDER_PER_HOUR']} receipts to this sender in an hour"
    if held_back is not None:
        row = OutgoingMail(kind="receipt", ticket=ticket, recipient=(address or "")[:320],
                           status="held", reason=held_back[:200], created_at=now)
        session.add(row)
        return row
    subject = tagged_subject(ticket, f"Eingangsmeldung: {request.subject}".strip())
    message = compose(settings, to=address, subject=subject[:300],
                      body=receipt_text(ticket, identity, settings),
                      in_reply_to=request.message_id, auto_reply=True)
    return queue_mail(session, "receipt", ticket, message)


@dataclass(frozen=True)
class LateMail:
    """A receipt or reply not sent within the receipt deadline."""

    kind: str
    ticket_number: str
    recipient: str
    created_at: dt.datetime
    attempts: int
    reason: Optional[str]


def late_mail(session: Session, now: dt.datetime, settings: Mapping) -> list[LateMail]:
    """Receipts and replies still unsent after RECEIPT_DEADLINE_MINUTES, oldest first."""
    limit = now - dt.timedelta(minutes=settings["RECEIPT_DEADLINE_MINUTES"])
    rows = session.execute(
        select(Ticket.number, OutgoingMail)
        .join(Ticket, Ticket.id == OutgoingMail.ticket_id)
        .where(OutgoingMail.status == "pending", OutgoingMail.created_at <= limit)
        .order_by(OutgoingMail.created_at, OutgoingMail.id)
    ).all()
    return [LateMail(row.kind, number, row.recipient, row.created_at, row.attempts, row.reason)
            for number, row in rows]


def unsent_mail_ids(session: Session) -> list[int]:
    """The ids of all receipts and replies waiting to be sent."""
    return list(session.scalars(select(OutgoingMail.id).where(
        OutgoingMail.status == "pending").order_by(OutgoingMail.id)))
