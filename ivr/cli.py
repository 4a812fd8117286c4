"""The `hotline` commands: database, customers, notices, staff and the simulated caller."""
from __future__ import annotations

import datetime as dt
import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from ivr import activation, customers, intake_cli, notices, schema, serving, staff, workers
from ivr.db import new_session, utcnow
from ivr.exceptions import BadStaffAccount
from ivr.models import Staff, WebAccount
from ivr.simulator import SimulatedCall

db_cli = AppGroup("db", help="The database schema.")
customers_cli = AppGroup("customers", help="Customers and their web accounts.")
notices_cli = AppGroup("notices", help="Outage and maintenance notices.")
accounts_cli = AppGroup("accounts", help="Web accounts and their activation by phone.")
staff_cli = AppGroup("staff", help="Staff accounts of the console.")


@db_cli.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Bring the database schema up to date."""
    schema.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@customers_cli.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
def customers_import(csv_file) -> None:
    """Import customers and web accounts from a CSV file; bad rows are reported."""
    with new_session() as session, session.begin():
        report = customers.import_customers(session, csv_file)
    for line, reason in report.errors:
        click.echo(f"line {line}: {reason}", err=True)
    click.echo(f"{report.created} created, {report.updated} updated, "
               f"{len(report.errors)} refused")
    if report.errors:
        raise SystemExit(1)


def parse_time(value: str | None) -> dt.datetime | None:
    """An ISO time from the command line; without a zone it is taken as UTC."""
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


@notices_cli.command("add")
@click.option("--kind", type=click.Choice(notices.KINDS), required=True)
@click.option("--text", "text_de", required=True, help="The German text read to callers.")
@click.option("--text-en", default=None, help="The English text, if any.")
@click.option("--starts", default=None, help="ISO time; default now.")
@click.option("--ends", default=None, help="ISO time; default open-ended.")
def notices_add(kind: str, text_de: str, text_en: str | None, starts: str | None,
                ends: str | None) -> None:
    """Add an outage or maintenance notice that the hotline reads out."""
    try:
        with new_session() as session, session.begin():
            notice = notices.add_notice(session, kind, text_de, parse_time(starts) or utcnow(),
                                        parse_time(ends), text_en)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    click.echo(f"notice {notice.id} added")


@notices_cli.command("list")
def notices_list() -> None:
    """List the notices in force now."""
    with new_session() as session:
        for notice in notices.active_notices(session, utcnow()):
            ends = notice.ends_at.isoformat() if notice.ends_at else "open"
            click.echo(f"{notice.id}\t{notice.kind}\t{notice.starts_at.isoformat()}\t{ends}\t"
                       f"{notice.text_de}")


def web_account(session, web_number: str) -> WebAccount:
    """The web account, or a usage error naming the web number."""
    account = session.scalar(select(WebAccount).where(WebAccount.web_number == web_number.lower()))
    if account is None:
        raise click.BadParameter(f"no web account {web_number!r}", param_hint="WEBNUMBER")
    return account


def iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@accounts_cli.command("show")
@click.argument("web_number")
def accounts_show(web_number: str) -> None:
    """Print the web account as JSON."""
    with new_session() as session:
        account = web_account(session, web_number)
        click.echo(json.dumps({
            "web_number": account.web_number, "domain": account.domain,
            "customer_number": account.customer.customer_number, "status": account.status,
            "activated_at": iso(account.activated_at), "locked_until": iso(account.locked_until),
        }, indent=2))


@accounts_cli.command("set-password")
@click.argument("web_number")
@click.password_option("--password", prompt="New activation password",
                       help="Asked for when not given.")
def accounts_set_password(web_number: str, password: str) -> None:
    """Set a new activation password for the web account."""
    try:
        with new_session() as session, session.begin():
            activation.set_password(web_account(session, web_number), password)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--password") from None
    click.echo(f"activation password of {web_number.lower()} set")


@accounts_cli.command("unlock")
@click.argument("web_number")
def accounts_unlock(web_number: str) -> None:
    """Lift the web account's activation lock and reset its failure count."""
    with new_session() as session, session.begin():
        activation.unlock(session, web_account(session, web_number))
    click.echo(f"{web_number.lower()} unlocked")


@staff_cli.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(staff.ROLES), required=True)
@click.option("--phone", default=None, help="The number an agent's calls are put through to.")
@click.password_option(help="Asked for, hidden and twice, when not given.")
def staff_add(username: str, role: str, phone: str | None, password: str) -> None:
    """Add a staff account; the password is stored only as a hash."""
    try:
        with new_session() as session, session.begin():
            member = staff.add_staff(session, username, role, password, phone)
    except BadStaffAccount as exc:
        raise click.BadParameter(str(exc)) from None
    click.echo(f"staff {member.username} added as {member.role}")


@staff_cli.command("unlock")
@click.argument("username")
def staff_unlock(username: str) -> None:
    """Let a user locked out by failed logins log in again at once."""
    with new_session() as session, session.begin():
        member = staff.find_staff(session, username)
        if member is None:
            raise click.BadParameter(f"no staff account {username!r}")
        member.locked_until, member.failed_logins = None, 0
    click.echo(f"staff {username} unlocked")


@staff_cli.command("list")
def staff_list() -> None:
    """List the staff accounts with role, phone and status."""
    with new_session() as session:
        for member in session.scalars(select(Staff).order_by(Staff.username)):
            click.echo(f"{member.username}\t{member.role}\t{member.phone or '-'}\t{member.status}")


@click.command("call")
@click.option("--url", "base_url", default="http://127.0.0.1:5000", show_default=True)
@click.option("--from", "caller", default="+4923819738700", show_default=True)
@click.option("--token", default=None, help="Auth token to sign with; default the app's.")
@click.option("--keys", "first_keys", default=None,
              help="Keys for the first Gather; further sequences follow as arguments.")
@click.argument("more_keys", nargs=-1)
@with_appcontext
def call(base_url: str, caller: str, token: str | None, first_keys: str | None,
         more_keys: tuple[str, ...]) -> None:
    """Play a caller against a running server: one key sequence per Gather, `_` for silence."""
    keys = ([first_keys] if first_keys is not None else []) + list(more_keys)
    simulated = SimulatedCall(base_url=base_url, caller=caller,
                              auth_token=token or current_app.config["TWILIO_AUTH_TOKEN"],
                              echo=click.echo)
    simulated.play(keys)


@click.command("serve")
@click.option("--bind", default="127.0.0.1:8000", show_default=True, help="host:port to listen on.")
@click.option("--workers", type=int, default=None, help="Processes; default one per core, at least 2.")
@click.option("--threads", type=int, default=serving.DEFAULT_THREADS, show_default=True,
              help="Threads per process.")
@click.option("--access-log/--no-access-log", default=False, show_default=True)
def serve(bind: str, workers: int | None, threads: int, access_log: bool) -> None:
    """Serve the app with gunicorn, for production."""
    from app import create_app

    serving.serve_restarting_for_metrics(
        create_app, serving.gunicorn_options(bind, workers, threads, access_log))


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run jobs from Redis with rq, scheduled ones included (needs REDIS_URL)."""
    if current_app.extensions.get("rq.queue") is None:
        raise click.UsageError("REDIS_URL is not set: jobs run inline and need no worker")
    workers.run_worker(current_app._get_current_object(), burst=burst)


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for command in (db_cli, customers_cli, notices_cli, accounts_cli, staff_cli, call, serve, worker,
                    *intake_cli.COMMANDS):
        app.cli.add_command(command)
