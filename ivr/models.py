"""The hotline's tables: customers, web accounts, calls and their events, notices, staff."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ivr.db import Base, UTCDateTime, utcnow


class Customer(Base):
    """A customer of the web host, known by the customer number (Kundennummer)."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[Optional[str]] = mapped_column(String(320))
    phone: Mapped[Optional[str]] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    web_accounts: Mapped[list["WebAccount"]] = relationship(back_populates="customer")


class WebAccount(Base):
    """One hosting account (web number `webNNN`) with its domain."""

    __tablename__ = "web_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    web_number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    domain: Mapped[str] = mapped_column(String(253))
    keypad_signature: Mapped[str] = mapped_column(String(253), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    activation_password_hash: Mapped[Optional[str]] = mapped_column(String(200))
    activated_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship(back_populates="web_accounts")


class Call(Base):
    """One inbound call, keyed by Twilio's CallSid, with its place in the call flow."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    caller: Mapped[Optional[str]] = mapped_column(String(40))
    line_type: Mapped[str] = mapped_column(String(16), default="unknown")
    called: Mapped[Optional[str]] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5), default="de")
    state: Mapped[str] = mapped_column(String(40), default="new")
    tries: Mapped[int] = mapped_column(Integer, default=0)
    intent: Mapped[Optional[str]] = mapped_column(String(32))
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    announced_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    charging_started_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    enqueued_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    queue_free_announced_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    left_queue_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime, index=True)
    queue_result: Mapped[Optional[str]] = mapped_column(String(32))
    queue_seconds: Mapped[Optional[int]] = mapped_column(Integer)
    ended_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="in-progress")
    duration_seconds: Mapped[Optional[int]] = mapped_column(Integer)
    #: The caller's place in line: when they first entered the queue, kept when an agent
    #: did not answer and they went back in (None: enqueued_at is the place).
    queued_since: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    #: The agent the caller is being connected to or talks with (None while waiting).
    agent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"), index=True)
    agent_offered_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    answered_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime, index=True)
    talk_seconds: Mapped[Optional[int]] = mapped_column(Integer)

    customer: Mapped[Optional[Customer]] = relationship()
    agent: Mapped[Optional["Staff"]] = relationship()
    events: Mapped[list["CallEvent"]] = relationship(
        back_populates="call", order_by="CallEvent.id"
    )


class CallEvent(Base):
    """One step of a call's path, for the audit: menu choices, checks, queue events."""

    __tablename__ = "call_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[Optional[str]] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    call: Mapped[Call] = relationship(back_populates="events")


class StatusCallback(Base):
    """A status callback exactly as received, kept whether or not its call is known."""

    __tablename__ = "status_callbacks"
    __table_args__ = (
        UniqueConstraint("call_sid", "call_status", "sequence_number", name="uq_status_callback"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), index=True)
    call_status: Mapped[str] = mapped_column(String(16))
    sequence_number: Mapped[int] = mapped_column(Integer, default=-1)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class Notice(Base):
    """An outage or maintenance announcement, active from starts_at until ends_at."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_active", "starts_at", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # outage | maintenance
    text_de: Mapped[str] = mapped_column(Text)
    text_en: Mapped[Optional[str]] = mapped_column(Text)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ends_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def text(self, language: str) -> str:
        """The notice's text in the language, German where no translation exists."""
        return (self.text_en if language == "en" else None) or self.text_de


class Staff(Base):
    """A staff account of the console: an agent, supervisor, finance or admin user.

    Agents also carry their working status (offline, available, paused, on a call,
    wrap-up) and the time it began, which routing uses to find who has been idle longest.
    """

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    phone: Mapped[Optional[str]] = mapped_column(String(32))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="offline", index=True)
    status_reason: Mapped[Optional[str]] = mapped_column(String(100))
    status_since: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    wrap_up_until: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChatMessage(Base):
    """One message of the support chat room, from a customer or from support.

    `private_for` is None for a public message, which everyone in the room sees. Otherwise
    it names the one customer who, besides support, may see it: the asker of a [Support]
    question, or the customer a private answer goes to.
    """

    __tablename__ = "chat_messages"
    __table_args__ = (
        Index("ix_chat_messages_private_for_id", "private_for", "id"),
        Index("ix_chat_messages_customer_sent", "customer_number", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The customer who wrote it (None: support wrote it).
    customer_number: Mapped[Optional[str]] = mapped_column(String(20))
    #: The staff member who wrote it (None: a customer wrote it).
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id"))
    author_name: Mapped[str] = mapped_column(String(80))
    private_for: Mapped[Optional[str]] = mapped_column(String(20))
    reply_to_id: Mapped[Optional[int]] = mapped_column(ForeignKey("chat_messages.id"))
    body: Mapped[str] = mapped_column(Text)


class ChatPresence(Base):
    """A staff member with the chat open: whether they are available for chat, and when
    their chat was last seen open (the heartbeat)."""

    __tablename__ = "chat_presence"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    available: Mapped[bool] = mapped_column(default=False)
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
