"""A real SMTP server (aiosmtpd) on loopback that keeps every mail it is handed."""
from __future__ import annotations

import email
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from tests.ports import free_port


@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()


@dataclass
class Mailbox:
    """What the server was handed; `refuse` makes it answer 451 (try again later)."""

    received: list[Received] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, _server, _session, envelope: Envelope) -> str:
        if self.refuse:
            return "451 4.3.0 mailbox busy, try again later"
        message = email.message_from_bytes(envelope.content, policy=default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def start_smtp() -> tuple[Controller, Mailbox, str]:
    """Start the server; returns it, its mailbox, and the SMTP_URL that reaches it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, mailbox, f"smtp://127.0.0.1:{port}"
