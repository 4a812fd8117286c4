"""Writing the hotline's own mails: addresses, message ids, threading headers."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Mapping, Optional, Sequence

from ivr.db import utcnow

SENDER_NAME = "Kundensupport"


def sender_domain(settings: Mapping) -> str:
    """The domain of the support address, for message ids."""
    return settings["SUPPORT_ADDRESS"].rpartition("@")[2] or "localhost"


def compose(settings: Mapping, *, to: str, subject: str, body: str,
            in_reply_to: Optional[str] = None, references: Sequence[str] = (),
            auto_reply: bool = False) -> EmailMessage:
    """A plain-text UTF-8 mail from the support address, threaded under `in_reply_to`."""
    message = EmailMessage()
    message["From"] = f"{SENDER_NAME} <{settings['SUPPORT_ADDRESS']}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender_domain(settings))
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    chain = [ref for ref in references if ref]
    if in_reply_to and in_reply_to not in chain:
        chain.append(in_reply_to)
    if chain:
        message["References"] = " ".join(chain[-20:])
    if auto_reply:
        message["Auto-Submitted"] = "auto-replied"
        message["X-Auto-Response-Suppress"] = "All"
    message.set_content(body, charset="utf-8")
    return message
