"""Outgoing mail: kept in the database first, then sent over SMTP by a retried job."""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from typing import Iterable, Mapping, Optional
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy.orm import Session

from ivr import jobs
from ivr.db import new_session, utcnow
from ivr.exceptions import MailNotSent
from ivr.models import OutgoingMail, Ticket

log = logging.getLogger(__name__)

SEND_JOB = "ivr.outbox.send_outgoing"
SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand mail over: from SMTP_URL."""

    host: str
    port: int
    tls: str  # none | starttls | ssl
    user: Optional[str] = None
    password: Optional[str] = None


def smtp_server(url: str) -> SmtpServer:
    """The server of an `smtp://`, `smtp+starttls://` or `smtps://` URL."""
    parts = urlsplit(url)
    tls = {"smtp": "none", "smtp+starttls": "starttls", "smtps": "ssl"}.get(parts.scheme)
    if tls is None or not parts.hostname:
        raise ValueError(f"SMTP_URL {url!r} is not smtp://, smtp+starttls:// or smtps://host[:port]")
    port = parts.port or (465 if tls == "ssl" else 587 if tls == "starttls" else 25)
    return SmtpServer(host=parts.hostname, port=port, tls=tls,
                      user=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None)


def hand_over(server: SmtpServer, content: bytes, envelope_from: str, recipient: str) -> None:
    """Send one message over SMTP; MailNotSent says why it failed."""
    try:
        if server.tls == "ssl":
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS)
        with client:
            if server.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if server.user:
                client.login(server.user, server.password or "")
            client.sendmail(envelope_from, [recipient], content)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(f"SMTP server {server.host}:{server.port} did not take the mail "
                          f"to {recipient}: {exc}") from exc


def queue_mail(session: Session, kind: str, ticket: Ticket, message: EmailMessage) -> OutgoingMail:
    """Keep a mail to send; `send_pending` after the commit hands it to the send job."""
    outgoing = OutgoingMail(kind=kind, ticket=ticket, recipient=str(message["To"])[:320],
                            message_id=str(message["Message-ID"]),
                            content=message.as_bytes(policy=SMTP_POLICY),
                            status="pending", created_at=utcnow())
    session.add(outgoing)
    return outgoing


def send_pending(outgoing_ids: Iterable[int]) -> None:
    """Start the send job of each committed pending mail."""
    retry = current_app.config["MAIL_RETRY_SECONDS"]
    for outgoing_id in outgoing_ids:
        jobs.enqueue(SEND_JOB, outgoing_id, job_id=f"mail-{outgoing_id}", retry_seconds=retry)


def envelope_sender(outgoing: OutgoingMail, settings: Mapping) -> str:
    """Receipts go out with the null return path, so nothing answers them automatically."""
    return "" if outgoing.kind == "receipt" else settings["SUPPORT_ADDRESS"]


def send_outgoing(outgoing_id: int) -> None:
    """Send one pending mail; sent mail is not sent again. A failure is recorded and raised,
    so that rq tries again."""
    with jobs.job_app() as app, new_session() as session:
        with session.begin():
            outgoing = session.get(OutgoingMail, outgoing_id)
            if outgoing is None or outgoing.status != "pending" or outgoing.content is None:
                return
            outgoing.attempts += 1
            content, recipient = outgoing.content, outgoing.recipient
            envelope_from = envelope_sender(outgoing, app.config)
        try:
            hand_over(smtp_server(app.config["SMTP_URL"]), content, envelope_from, recipient)
        except (MailNotSent, ValueError) as exc:
            with session.begin():
                session.get(OutgoingMail, outgoing_id).reason = str(exc)[:200]
            log.warning("mail %s not sent (attempt %s): %s", outgoing_id, outgoing.attempts, exc)
            raise
        with session.begin():
            outgoing = session.get(OutgoingMail, outgoing_id)
            outgoing.status, outgoing.sent_at, outgoing.reason = "sent", utcnow(), None
