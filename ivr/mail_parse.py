"""Reading a raw RFC 5322 message with the standard library's email package (policy=default)."""
from __future__ import annotations

import email
import email.utils
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Optional

from ivr.html_text import html_to_text

MAX_SUBJECT = 300
MESSAGE_ID = re.compile(r"<[^<>\s]{1,290}>")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """The text without control characters (NUL and the like), which no database takes
    everywhere and no reader needs; line breaks and tabs stay."""
    return CONTROL_CHARACTERS.sub("", text)


@dataclass
class MailAttachment:
    """A file that came with a mail."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedMail:
    """What the intake needs of a mail: who, what, threading ids, text and files."""

    message: EmailMessage
    sender_address: Optional[str]
    sender_name: Optional[str]
    reply_address: Optional[str]
    subject: str
    message_id: Optional[str]
    in_reply_to: list[str]
    references: list[str]
    text: str
    attachments: list[MailAttachment] = field(default_factory=list)

    def header(self, name: str) -> str:
        """A header's value as text, '' when missing or unreadable."""
        try:
            return str(self.message.get(name, "") or "")
        except (ValueError, TypeError, IndexError):
            return ""


def parse_mail(raw: bytes) -> ParsedMail:
    """The parts of a raw message; a broken header or body yields what could be read."""
    message: EmailMessage = email.message_from_bytes(raw, policy=default)  # type: ignore[assignment]
    name, address = _address(message, "From")
    reply_name, reply_address = _address(message, "Reply-To")
    subject = clean_text(" ".join(_header(message, "Subject").split()))[:MAX_SUBJECT]
    return ParsedMail(
        message=message,
        sender_address=address,
        sender_name=clean_text(name)[:200] or None,
        reply_address=reply_address or address,
        subject=subject,
        message_id=next(iter(_message_ids(_header(message, "Message-ID"))), None),
        in_reply_to=_message_ids(_header(message, "In-Reply-To")),
        references=_message_ids(_header(message, "References")),
        text=clean_text(body_text(message)),
        attachments=attachments(message, _body_part(message)),
    )


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "")
    except (ValueError, TypeError, IndexError):  # a header the parser cannot decode
        raw = message.get_all(name, failobj=[""])
        return str(raw[0]) if raw else ""


def _address(message: EmailMessage, name: str) -> tuple[str, Optional[str]]:
    display, address = email.utils.parseaddr(_header(message, name))
    address = address.strip().lower()
    if "@" not in address or len(address) > 320:
        return display, None
    return display, address


def _message_ids(value: str) -> list[str]:
    return MESSAGE_ID.findall(value)


def _body_part(message: EmailMessage) -> Optional[EmailMessage]:
    try:
        return message.get_body(preferencelist=("plain", "html"))
    except (KeyError, LookupError):
        return None


def body_text(message: EmailMessage) -> str:
    """The message's text: its plain-text part, else its HTML part turned to text."""
    part = _body_part(message)
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # unknown charset or broken encoding
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return ""
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return content.strip()


def attachments(message: EmailMessage, body: Optional[EmailMessage] = None) -> list[MailAttachment]:
    """The files in the message (named parts or parts marked as attachments), body excepted."""
    found = []
    for part in message.walk():
        if part is body or part.is_multipart():
            continue
        filename = part.get_filename()
        if not filename and part.get_content_disposition() != "attachment":
            continue
        data = part.get_payload(decode=True) or b""
        filename = filename or f"attachment-{len(found) + 1}"
        found.append(MailAttachment(filename=clean_text(filename)[:255], content_type=part.get_content_type(),
                                    data=data))
    return found
