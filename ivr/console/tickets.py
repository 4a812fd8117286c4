"""Tickets in the console: the list by deadline, one ticket, a reply by mail, closing.

| route                                           | does                                     |
|-------------------------------------------------|------------------------------------------|
| GET  /console/tickets                           | the tickets not closed, by deadline      |
| GET  /console/tickets/T-000042                  | the ticket with its messages and files   |
| POST /console/tickets/T-000042/reply            | form {text}: reply by mail, threaded     |
| POST /console/tickets/T-000042/close            | close it                                 |
| GET  /console/tickets/T-000042/files/N          | attachment N as a download               |
| GET  /console/tickets/T-000042/fax/N.png        | the preview of fax document N            |

The work itself is done by `ivr.agent_desk`; refusals (a closed ticket, no address, no
text) are shown on the ticket's page with a 4xx status.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from sqlalchemy import select

from ivr.agent_desk import close_ticket, reply_to_ticket, ticket_with_messages, tickets_by_deadline
from ivr.agents import CALL_ROLES
from ivr.console.auth import csrf_protect, current_staff, role_required
from ivr.console.display import duration
from ivr.db import get_session, utcnow
from ivr.exceptions import ReplyNotPossible, TicketClosed, TicketNotFound
from ivr.models import Attachment, FaxDocument, Ticket, TicketMessage
from ivr.outbox import send_pending

bp = Blueprint("console_tickets", __name__, url_prefix="/console/tickets")
csrf_protect(bp)

MAX_REPLY_CHARS = 20_000


def due_label(ticket: Ticket, now: dt.datetime) -> str:
    """How long until the ticket's deadline ("due in 1:59:58") or since ("overdue by 4:12")."""
    seconds = (ticket.due_at - now).total_seconds()
    return f"due in {duration(seconds)}" if seconds >= 0 else f"overdue by {duration(-seconds)}"


def load(number: str) -> Ticket:
    """The ticket with its messages, or a 404."""
    try:
        return ticket_with_messages(get_session(), number)
    except TicketNotFound:
        abort(404, f"there is no ticket {number}")


def fax_documents(ticket: Ticket) -> list[FaxDocument]:
    """The fax documents the ticket was opened for."""
    return list(get_session().scalars(
        select(FaxDocument).where(FaxDocument.ticket_id == ticket.id).order_by(FaxDocument.id)))


def show(ticket: Ticket, error: Optional[str] = None, status: int = 200, text: str = ""):
    """The ticket's page, with a refusal's reason if there is one."""
    return render_template("console/ticket.html", ticket=ticket, faxes=fax_documents(ticket),
                           now=utcnow(), error=error, text=text), status


@bp.app_template_global()
def ticket_due(ticket: Ticket, now: dt.datetime) -> str:
    """The deadline as the pages show it."""
    return due_label(ticket, now)


@bp.get("")
@role_required(*CALL_ROLES)
def index():
    """The tickets not closed, the earliest deadline first."""
    return render_template("console/tickets.html", tickets=tickets_by_deadline(get_session()),
                           now=utcnow())


@bp.get("/<number>")
@role_required(*CALL_ROLES)
def detail(number: str):
    """One ticket with its messages, attachments and fax preview."""
    return show(load(number))


@bp.post("/<number>/reply")
@role_required(*CALL_ROLES)
def reply(number: str):
    """Answer the ticket by mail (threaded, its number in the subject), then send it."""
    session = get_session()
    ticket = load(number)
    text = request.form.get("text", "")[:MAX_REPLY_CHARS]
    try:
        sent = reply_to_ticket(session, ticket, agent=current_staff().username, text=text,
                               now=utcnow(), settings=current_app.config)
    except TicketClosed as exc:
        session.rollback()
        return show(load(number), f"Not sent: {exc}.", 409, text)
    except ReplyNotPossible as exc:
        session.rollback()
        return show(load(number), f"Not sent: {exc}.", 400, text)
    session.commit()
    send_pending([sent.mail.id])
    flash(f"Reply to {ticket.number} sent to {ticket.contact_address}.", "info")
    return redirect(url_for(".detail", number=ticket.number), 303)


@bp.post("/<number>/close")
@role_required(*CALL_ROLES)
def close(number: str):
    """Close the ticket; a new message from the customer opens it again."""
    session = get_session()
    ticket = load(number)
    if ticket.status == "closed":
        return show(ticket, f"Ticket {ticket.number} is closed already.", 409)
    close_ticket(session, ticket, utcnow())
    session.commit()
    flash(f"Ticket {ticket.number} closed.", "info")
    return redirect(url_for(".index"), 303)


@bp.get("/<number>/files/<int:attachment_id>")
@role_required(*CALL_ROLES)
def attachment(number: str, attachment_id: int):
    """A message's file as a download (never shown inline: it came from outside)."""
    session = get_session()
    found = session.scalar(
        select(Attachment).join(TicketMessage, Attachment.message_id == TicketMessage.id)
        .join(Ticket, TicketMessage.ticket_id == Ticket.id)
        .where(Attachment.id == attachment_id, Ticket.number == number.upper()))
    if found is None:
        abort(404)
    response = Response(found.data, mimetype="application/octet-stream")
    response.headers.set("Content-Disposition", "attachment", filename=found.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<number>/fax/<int:document_id>.png")
@role_required(*CALL_ROLES)
def fax_preview(number: str, document_id: int):
    """The PNG preview of page 1 of the ticket's fax."""
    document = get_session().scalar(
        select(FaxDocument).join(Ticket, FaxDocument.ticket_id == Ticket.id)
        .where(FaxDocument.id == document_id, Ticket.number == number.upper()))
    if document is None or document.preview_png is None:
        abort(404)
    return Response(document.preview_png, mimetype="image/png")
