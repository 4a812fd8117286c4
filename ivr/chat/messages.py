"""The chat room's messages: who may see which, and posting them.

| message                         | private_for       | seen by                        |
|---------------------------------|-------------------|--------------------------------|
| public question or answer       | None              | everyone in the room           |
| a customer's [Support] question | the asker         | support and the asker          |
| support's private answer        | the asker         | support and the asker          |

Messages are numbered in the order they are committed (writers take turns on PostgreSQL,
SQLite has one writer at a time), so "everything after id N" never misses a message that
commits late: the event streams rely on it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Optional

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ivr.chat.exceptions import MessageRefused
from ivr.chat.limits import Limits, clean_body, retry_after
from ivr.chat.tokens import ChatCustomer
from ivr.models import ChatMessage, Staff

#: The PostgreSQL advisory lock that makes writers of the room take turns.
ROOM_LOCK = 0x63686174  # "chat"
SUPPORT_NAME = "Support"


@dataclasses.dataclass(frozen=True)
class Viewer:
    """Who reads the room: one customer, or support (customer_number None)."""

    customer_number: Optional[str]

    @property
    def is_support(self) -> bool:
        return self.customer_number is None


SUPPORT = Viewer(customer_number=None)


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The condition on messages that a viewer may see: the chat's security rule."""
    if viewer.is_support:
        return ChatMessage.id.is_not(None)
    return or_(ChatMessage.private_for.is_(None), ChatMessage.private_for == viewer.customer_number)


def messages_after(session: Session, viewer: Viewer, after_id: int, limit: int) -> list[ChatMessage]:
    """The viewer's messages with an id above `after_id`, oldest first, at most `limit`."""
    return list(session.scalars(select(ChatMessage).where(visible_to(viewer), ChatMessage.id > after_id)
                                .order_by(ChatMessage.id).limit(limit)))


def latest_messages(session: Session, viewer: Viewer, limit: int) -> list[ChatMessage]:
    """The viewer's last `limit` messages, oldest first: the history a new window shows."""
    newest = session.scalars(select(ChatMessage).where(visible_to(viewer))
                             .order_by(ChatMessage.id.desc()).limit(limit))
    return list(reversed(list(newest)))


def take_turn(session: Session) -> None:
    """Wait for other writers of the room, so that ids are committed in their order."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROOM_LOCK})


def post_customer_message(session: Session, customer: ChatCustomer, body: object, to_support: bool,
                          now: dt.datetime, limits: Limits) -> ChatMessage:
    """A customer's message, public or a [Support] question; MessageRefused (429 with the
    seconds to wait) when they sent too many lately. The caller commits, or rolls back on
    a refusal."""
    body = clean_body(body, limits.max_chars)
    take_turn(session)
    message = ChatMessage(sent_at=now, customer_number=customer.customer_number,
                          author_name=customer.name, body=body,
                          private_for=customer.customer_number if to_support else None)
    session.add(message)
    session.flush()
    wait = retry_after(session, customer.customer_number, now, limits)
    if wait is not None:
        raise MessageRefused(f"Zu viele Nachrichten: höchstens {limits.rate_messages} in "
                             f"{limits.rate_seconds} Sekunden. Bitte in {wait} Sekunden erneut "
                             f"senden.", 429, retry_after=wait)
    return message


def post_support_message(session: Session, staff: Staff, body: object, now: dt.datetime,
                         max_chars: int, reply_to: Optional[ChatMessage] = None,
                         private: bool = False) -> ChatMessage:
    """Support's message to the room, or a private answer to the customer who wrote
    `reply_to` (only they and support see it). The caller commits."""
    body = clean_body(body, max_chars)
    private_for = None
    if private:
        if reply_to is None or reply_to.customer_number is None:
            raise MessageRefused("a private answer needs the customer's message it answers")
        private_for = reply_to.customer_number
    take_turn(session)
    message = ChatMessage(sent_at=now, staff_id=staff.id, author_name=staff.username, body=body,
                          private_for=private_for, reply_to_id=reply_to.id if reply_to else None)
    session.add(message)
    session.flush()
    return message


def message_json(message: ChatMessage, viewer: Viewer) -> dict:
    """A message as the viewer gets it: customers never learn others' customer numbers,
    which staff member wrote, nor which (perhaps someone else's private) message it answers."""
    from_support = message.staff_id is not None
    data = {
        "id": message.id,
        "sent_at": message.sent_at.isoformat(),
        "author": SUPPORT_NAME if from_support else message.author_name,
        "from_support": from_support,
        "private": message.private_for is not None,
        "body": message.body,
    }
    if viewer.is_support:
        data.update(customer_number=message.customer_number, private_for=message.private_for,
                    staff=message.author_name if from_support else None,
                    reply_to=message.reply_to_id)
    else:
        data["mine"] = message.customer_number == viewer.customer_number
    return data
