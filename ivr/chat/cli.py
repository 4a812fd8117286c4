"""`hotline chat link`: an entry link as the customer interface makes it, for trying the chat."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ivr.chat.tokens import CUSTOMER_NUMBER, clean_name, make_entry_token

chat_cli = AppGroup("chat", help="The support chat.")


@chat_cli.command("link")
@click.option("--customer", "customer_number", required=True, help="The customer number.")
@click.option("--name", required=True, help="The name the chat shows.")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True)
def chat_link(customer_number: str, name: str, base_url: str) -> None:
    """Print an entry link signed with CHAT_SHARED_SECRET (good for CHAT_TOKEN_SECONDS)."""
    secret = current_app.config["CHAT_SHARED_SECRET"]
    if not secret:
        raise click.UsageError("CHAT_SHARED_SECRET is not set")
    if not CUSTOMER_NUMBER.fullmatch(customer_number) or clean_name(name) is None:
        raise click.UsageError("--customer must be digits and --name not empty")
    token = make_entry_token(secret, customer_number, clean_name(name))
    click.echo(f"{base_url.rstrip('/')}/chat/enter#token={token}")
