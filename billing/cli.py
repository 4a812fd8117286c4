"""The `hotline tariffs` and `hotline billing` commands."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Optional

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from billing import cutoff
from billing.exceptions import BillingError, NoTariff
from billing.exports import FORMATS, export_bytes
from billing.jobs import rater
from billing.models import Tariff
from billing.month_rating import rate_batch
from billing.months import Month
from billing.tariffs import (LINE_TYPES, add_tariff, announced_prices, applies_to,
                             call_price_digit, euros, is_valid_at, refusal_reasons, tariff_table)
from ivr.cli import parse_time
from ivr.db import new_session, utcnow

tariffs_cli = AppGroup("tariffs", help="The tariff table (prices per minute, steps, validity).")
billing_cli = AppGroup("billing", help="Charge records: rating, re-rating, exports, cut-off.")

STEPS = {"60/60": (60, 60), "60/1": (60, 1), "1/1": (1, 1)}


def decimal_option(value: Optional[str], name: str) -> Optional[Decimal]:
    """A decimal from the command line; a comma is taken as the decimal point."""
    if value is None:
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise click.BadParameter(f"{value!r} is not a number", param_hint=name) from None


def month_option(value: str) -> Month:
    try:
        return Month.parse(value)
    except BillingError as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None


def describe(tariff: Tariff, now: dt.datetime) -> str:
    """One line of `tariffs list`."""
    steps = f"{tariff.first_step_seconds}/{tariff.step_seconds}"
    cap = euros(tariff.cap_per_call) if tariff.cap_per_call is not None else "-"
    until = tariff.valid_until.isoformat() if tariff.valid_until else "open"
    state = "in force" if is_valid_at(tariff, now) else "-"
    return (f"{tariff.id}\t{tariff.name}\t{applies_to(tariff)}\t{euros(tariff.price_per_minute)}"
            f"\tVAT {tariff.vat_rate:.2f}\t{steps}\tcap {cap}\t{tariff.valid_from.isoformat()}"
            f"\t{until}\t{state}")


@tariffs_cli.command("list")
def tariffs_list() -> None:
    """List every tariff: id, name, applies to, EUR/min incl. VAT, VAT, steps, cap, validity."""
    now = utcnow()
    with new_session() as session:
        for tariff in tariff_table(session).tariffs:
            click.echo(describe(tariff, now))


@tariffs_cli.command("add")
@click.option("--name", required=True)
@click.option("--line-type", type=click.Choice(LINE_TYPES), default=None)
@click.option("--price-digit", type=int, default=None,
              help="The 0900 price digit instead of a line type (the 1 of +49 9001 ...).")
@click.option("--price", required=True, help="EUR per minute incl. VAT, e.g. 0.45")
@click.option("--vat", default="0.19", show_default=True)
@click.option("--steps", default="60/60", show_default=True,
              help="first step / further steps in seconds, e.g. 60/60, 60/1, 1/1")
@click.option("--cap", default=None, help="Most a call may cost, EUR incl. VAT.")
@click.option("--valid-from", default=None, help="ISO time; default now.")
@click.option("--valid-until", default=None, help="ISO time; default open-ended.")
def tariffs_add(name: str, line_type: Optional[str], price_digit: Optional[int], price: str,
                vat: str, steps: str, cap: Optional[str], valid_from: Optional[str],
                valid_until: Optional[str]) -> None:
    """Add a tariff; one that breaks § 112 TKG is refused with the reason."""
    try:
        first, step = (int(part) for part in steps.split("/"))
    except ValueError:
        raise click.BadParameter(f"{steps!r} is not FIRST/STEP seconds", param_hint="--steps")
    tariff = Tariff(name=name[:64], line_type=line_type, price_digit=price_digit,
                    price_per_minute=decimal_option(price, "--price"),
                    vat_rate=decimal_option(vat, "--vat"), first_step_seconds=first,
                    step_seconds=step, cap_per_call=decimal_option(cap, "--cap"),
                    valid_from=parse_time(valid_from) or utcnow(),
                    valid_until=parse_time(valid_until))
    try:
        with new_session() as session, session.begin():
            add_tariff(session, tariff)
    except BillingError as exc:
        click.echo(f"refused: {exc}", err=True)
        raise SystemExit(1)
    click.echo(f"tariff {tariff.id} added: {describe(tariff, utcnow())}")


@tariffs_cli.command("check")
@click.option("--at", "at", default=None, help="ISO time to check; default now.")
def tariffs_check(at: Optional[str]) -> None:
    """Check every tariff against § 112 and that calls at the moment can be priced."""
    moment = parse_time(at) or utcnow()
    digit = call_price_digit(None, current_app.config["HOTLINE_NUMBER"])
    problems = []
    with new_session() as session:
        for tariff in tariff_table(session).tariffs:
            problems += [f"tariff {tariff.id} ({tariff.name}): {reason}"
                         for reason in refusal_reasons(tariff)]
        try:
            fixed, mobile = announced_prices(session, moment, digit)
            click.echo(f"announced at {moment.isoformat()}: {euros(fixed)} EUR/min from "
                       f"landlines, at most {euros(mobile)} EUR/min from mobile networks")
        except NoTariff as exc:
            problems.append(str(exc))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo("all tariffs obey § 112 TKG")


def rate_month(month: Month, only_unrated: bool, cause: str) -> None:
    """Rate the month's finished calls batch by batch, one transaction per batch."""
    calls = written = 0
    after = 0
    while True:
        with new_session() as session, session.begin():
            try:
                batch = rate_batch(session, rater(session), month, after, only_unrated, cause)
            except BillingError as exc:
                raise click.ClickException(f"{exc}; {calls} calls rated before") from None
        if batch.calls == 0:
            break
        calls, written, after = calls + batch.calls, written + batch.written, batch.last_call_id
    click.echo(f"{month}: {calls} calls rated, {written} records written")


@billing_cli.command("rate")
@click.option("--month", required=True, callback=lambda _c, _p, v: month_option(v),
              help="YYYY-MM (UTC)")
def billing_rate(month: Month) -> None:
    """Rate the month's finished calls that have no charge record yet."""
    rate_month(month, only_unrated=True, cause="rated")


@billing_cli.command("rerate")
@click.option("--month", required=True, callback=lambda _c, _p, v: month_option(v),
              help="YYYY-MM (UTC)")
def billing_rerate(month: Month) -> None:
    """Rate every finished call of the month again; changed records keep their old amounts."""
    rate_month(month, only_unrated=False, cause=f"rerate {month}")


@billing_cli.command("export")
@click.option("--month", required=True, callback=lambda _c, _p, v: month_option(v),
              help="YYYY-MM (UTC)")
@click.option("--format", "name", type=click.Choice(list(FORMATS)), default="csv",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write; default standard output.")
def billing_export(month: Month, name: str, output: Optional[str]) -> None:
    """Export the month's charge records: per call (csv), DATEV, or a summary."""
    with new_session() as session, click.open_file(output or "-", "wb") as handle:
        for chunk in export_bytes(session, name, month, current_app.config, utcnow()):
            handle.write(chunk)


@billing_cli.command("cutoff")
def billing_cutoff() -> None:
    """End every call still open after 60 minutes (§ 113); run it every minute."""
    now = utcnow()
    with new_session() as session, session.begin():
        results = [cutoff.cut_off(session, call, now) for call in cutoff.due_calls(session, now)]
    click.echo(f"{results.count(True)} calls cut off, {results.count(False)} failed")
    if False in results:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(tariffs_cli)
    app.cli.add_command(billing_cli)
