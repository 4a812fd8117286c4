"""The support chat: customers from their customer account and support in one room.

Messages are public or private between one customer and support; they reach open
browsers as server-sent events. The chat is online while someone of support has it open
and is available for chat.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the customers' chat, the console's chat page and `hotline chat`."""
    from ivr.chat import cli, console, customer

    app.register_blueprint(customer.bp)
    app.register_blueprint(console.bp)
    app.cli.add_command(cli.chat_cli)
