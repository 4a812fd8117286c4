"""The hotline's tables: customers, web accounts, calls, notices, staff, tickets and the intake."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from sqlalchemy import (JSON, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint, text)
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
    activation_call_sid: Mapped[Optional[str]] = mapped_column(String(64))
    activation_caller: Mapped[Optional[str]] = mapped_column(String(40))
    failed_passwords: Mapped[int] = mapped_column(Integer, default=0)
    lockouts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship(back_populates="web_accounts")


class Call(Base):
    """One inbound call, keyed by Twilio's CallSid, with its place in the call flow."""

    __tablename__ = "calls"
    #: The calls not ended, by start: the queue, the cut-off and the metrics look only at
    #: these, a few among all calls ever taken.
    __table_args__ = (Index("ix_calls_open_started", "started_at",
                            postgresql_where=text("ended_at IS NULL"),
                            sqlite_where=text("ended_at IS NULL")),)

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
    flow_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
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


class ActivationFailure(Base):
    """A wrong activation password typed by a caller; counts toward throttling the caller."""

    __tablename__ = "activation_failures"
    __table_args__ = (Index("ix_activation_failures_caller_at", "caller", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    caller: Mapped[Optional[str]] = mapped_column(String(40))
    call_sid: Mapped[str] = mapped_column(String(64))
    web_account_id: Mapped[Optional[int]] = mapped_column(ForeignKey("web_accounts.id"), index=True)


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


class IntakeItem(Base):
    """Something received for the intake (a raw mail, a form post, a fax webhook), kept as
    it arrived before anything else is done with it."""

    __tablename__ = "intake_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | fax
    source: Mapped[str] = mapped_column(String(32))  # mail-gate | http | customer-interface | ...
    external_id: Mapped[Optional[str]] = mapped_column(String(100), index=True)  # provider's id
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    content_type: Mapped[Optional[str]] = mapped_column(String(200))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    error: Mapped[Optional[str]] = mapped_column(Text)
    ticket_id: Mapped[Optional[int]] = mapped_column(ForeignKey("tickets.id"), index=True)


class Ticket(Base):
    """A request from email, fax, chat or phone, with its messages and its reply deadline."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_open_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[Optional[str]] = mapped_column(String(20), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # email | fax | chat | phone
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id"), index=True)
    web_number: Mapped[Optional[str]] = mapped_column(String(20))
    contact_address: Mapped[Optional[str]] = mapped_column(String(320))
    contact_name: Mapped[Optional[str]] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | answered | closed
    priority: Mapped[str] = mapped_column(String(8), default="normal")  # normal | high
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    customer: Mapped[Optional[Customer]] = relationship()
    messages: Mapped[list["TicketMessage"]] = relationship(
        back_populates="ticket", order_by="TicketMessage.id"
    )


class TicketMessage(Base):
    """One message of a ticket, incoming or outgoing, as text with its threading ids."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[Optional[str]] = mapped_column(String(320))
    subject: Mapped[Optional[str]] = mapped_column(String(300))
    message_id: Mapped[Optional[str]] = mapped_column(String(300), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    intake_item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("intake_items.id"))

    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    attachments: Mapped[list["Attachment"]] = relationship(order_by="Attachment.id")


class Attachment(Base):
    """A file that came with a message."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("ticket_messages.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class FaxDocument(Base):
    """A received fax document: its pages, a preview of page 1, or why it is unreadable."""

    __tablename__ = "fax_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_item_id: Mapped[int] = mapped_column(ForeignKey("intake_items.id"), unique=True)
    sender: Mapped[Optional[str]] = mapped_column(String(40))
    recipient: Mapped[Optional[str]] = mapped_column(String(40))
    content_type: Mapped[Optional[str]] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    declared_pages: Mapped[Optional[int]] = mapped_column(Integer)
    pages: Mapped[Optional[int]] = mapped_column(Integer)
    preview_png: Mapped[Optional[bytes]] = mapped_column(LargeBinary)
    problem: Mapped[Optional[str]] = mapped_column(String(300))  # None: readable
    ticket_id: Mapped[Optional[int]] = mapped_column(ForeignKey("tickets.id"), index=True)


class OutgoingMail(Base):
    """A mail the hotline sends (a receipt or an agent's reply), or a receipt held back
    and why; the send job works through the pending ones."""

    __tablename__ = "outgoing_mails"
    __table_args__ = (Index("ix_outgoing_mails_recipient_created", "recipient", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # receipt | reply
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(320))
    message_id: Mapped[Optional[str]] = mapped_column(String(300))
    content: Mapped[Optional[bytes]] = mapped_column(LargeBinary)  # the RFC 5322 message
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    reason: Mapped[Optional[str]] = mapped_column(String(200))  # why held back or failing
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    ticket: Mapped[Ticket] = relationship()


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


class PendingJob(Base):
    """A job that Redis could not take when it was given: kept here until a worker relays it."""

    __tablename__ = "pending_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    function: Mapped[str] = mapped_column(String(200))
    args: Mapped[list[Any]] = mapped_column(JSON, default=list)
    job_id: Mapped[Optional[str]] = mapped_column(String(200))
    retry_seconds: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: When a scheduled job is due; None: as soon as possible.
    run_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
