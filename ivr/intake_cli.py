"""The intake's commands: the mail gate for the MTA, the receipt check, the ticket list."""
from __future__ import annotations

import logging
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from ivr import intake
from ivr.agent_desk import tickets_by_deadline
from ivr.db import new_session, utcnow
from ivr.mail_intake import process_item, receive_mail
from ivr.outbox import send_pending
from ivr.receipts import late_mail, unsent_mail_ids

log = logging.getLogger(__name__)

#: sysexits.h codes, as MTAs read them.
EX_OK, EX_DATAERR, EX_TEMPFAIL = 0, 65, 75

receipts_cli = AppGroup("receipts", help="Receipts (Eingangsmeldungen) to senders.")
tickets_cli = AppGroup("tickets", help="Tickets from email and fax.")


@click.command("mail-gate")
@with_appcontext
def mail_gate() -> None:
    """Take one raw RFC 5322 message on stdin (for the MTA's pipe).

    Exit 0: stored (and read into a ticket, or kept for another try). Exit 75: it could not
    be stored, the MTA should try again later. Exit 65: the input was empty.
    """
    raw = sys.stdin.buffer.read()
    if not raw.strip():
        click.echo("mail-gate: empty message", err=True)
        sys.exit(EX_DATAERR)
    try:
        taken = receive_mail(raw, "mail-gate", current_app.config)
    except SQLAlchemyError as exc:
        log.error("mail-gate could not store the message: %s", type(exc).__name__)
        click.echo(f"mail-gate: database not available ({type(exc).__name__}); try again later",
                   err=True)
        sys.exit(EX_TEMPFAIL)
    if taken.error:
        click.echo(f"mail-gate: stored as item {taken.item_id}, not read: {taken.error}", err=True)
    sys.exit(EX_OK)


@receipts_cli.command("check")
@click.option("--resend", is_flag=True, help="Start the send job of every unsent mail again.")
def receipts_check(resend: bool) -> None:
    """Report receipts and replies not sent within the hour and mail that was not read;
    exit 1 if any."""
    now = utcnow()
    with new_session() as session:
        late = late_mail(session, now, current_app.config)
        stuck = intake.stuck_items(session, now)
        pending = unsent_mail_ids(session) if resend else []
    for mail in late:
        minutes = int((now - mail.created_at).total_seconds() // 60)
        click.echo(f"late {mail.kind}\t{mail.ticket_number}\t{mail.recipient}\t{minutes} min\t"
                   f"{mail.attempts} attempts\t{mail.reason or ''}")
    for item in stuck:
        click.echo(f"unread {item.channel}\titem {item.id}\t{item.received_at.isoformat()}\t"
                   f"{item.status}\t{(item.error or '')[:120]}")
    if resend:
        send_pending(pending)
        click.echo(f"{len(pending)} mails handed to the send job again")
    click.echo(f"{len(late)} late mails, {len(stuck)} unread items")
    if late or stuck:
        sys.exit(1)


@click.command("mail-reread")
@click.argument("item_ids", nargs=-1, type=int, required=True)
@with_appcontext
def mail_reread(item_ids: tuple[int, ...]) -> None:
    """Read stored mail again that could not be read (ids from `hotline receipts check`)."""
    failed = 0
    with new_session() as session:
        for item_id in item_ids:
            taken = process_item(session, item_id, current_app.config)
            if taken.error:
                failed += 1
                click.echo(f"item {item_id}: {taken.error}", err=True)
            else:
                click.echo(f"item {item_id}: ticket {taken.ticket_number}")
    if failed:
        sys.exit(1)


@tickets_cli.command("list")
def tickets_list() -> None:
    """The tickets not closed, by deadline."""
    with new_session() as session:
        for ticket in tickets_by_deadline(session):
            customer = ticket.customer.customer_number if ticket.customer else "-"
            click.echo(f"{ticket.number}\t{ticket.due_at.isoformat()}\t{ticket.priority}\t"
                       f"{ticket.status}\t{ticket.channel}\t{customer}\t{ticket.subject}")


COMMANDS = (mail_gate, mail_reread, receipts_cli, tickets_cli)
