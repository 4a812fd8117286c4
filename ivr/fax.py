"""Fax intake: a received document is stored, read, and opens a ticket, readable or not."""
from __future__ import annotations

import logging
from typing import Mapping, Optional

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr import jobs
from ivr.db import new_session
from ivr.exceptions import BadIntakeRequest
from ivr.fax_document import read_document
from ivr.mail_parse import clean_text
from ivr.models import Customer, FaxDocument, IntakeItem, Ticket
from ivr.tickets import add_message, open_ticket

log = logging.getLogger(__name__)

FETCH_JOB = "ivr.fax.fetch_telnyx_media"
FETCH_TIMEOUT_SECONDS = 60
MAX_NUMBER = 40


def customer_by_fax_number(session: Session, number: Optional[str]) -> Optional[Customer]:
    """The one customer whose phone number sent the fax, if any."""
    if not number:
        return None
    found = session.scalars(select(Customer).where(Customer.phone == number).limit(2)).all()
    return found[0] if len(found) == 1 else None


def fax_subject(sender: Optional[str], pages: Optional[int], problem: Optional[str]) -> str:
    """The ticket subject of a fax: from whom, how many pages, or that it is unreadable."""
    origin = f"Fax von {sender}" if sender else "Fax ohne Absendernummer"
    if problem:
        return f"{origin}: unlesbar"
    return f"{origin}, {pages} Seite{'n' if pages != 1 else ''}"


def take_fax(session: Session, item: IntakeItem, data: bytes, settings: Mapping, *,
             sender: Optional[str], recipient: Optional[str],
             declared_pages: Optional[int]) -> tuple[Ticket, FaxDocument]:
    """Store the document of a stored fax item, read it, and open its ticket."""
    info = read_document(data)
    sender = clean_text(sender or "").strip()[:MAX_NUMBER] or None
    document = FaxDocument(intake_item_id=item.id, sender=sender,
                           recipient=clean_text(recipient or "").strip()[:MAX_NUMBER] or None,
                           content_type=info.content_type, data=data,
                           declared_pages=declared_pages, pages=info.pages,
                           preview_png=info.preview_png, problem=info.problem)
    session.add(document)
    notes = []
    if info.problem:
        notes.append(f"Das Fax ist unlesbar: {info.problem}.")
    else:
        notes.append(f"Fax mit {info.pages} Seite(n).")
        if declared_pages is not None and declared_pages != info.pages:
            notes.append(f"Der Anbieter meldete {declared_pages} Seite(n).")
    text = " ".join(notes)
    ticket = open_ticket(session, channel="fax",
                         subject=fax_subject(sender, info.pages, info.problem), text="",
                         received_at=item.received_at, settings=settings,
                         customer=customer_by_fax_number(session, sender),
                         contact_address=sender)
    add_message(session, ticket, direction="in", body=text, at=item.received_at, author=sender,
                intake_item=item)
    document.ticket_id = ticket.id
    item.status, item.ticket_id = "ticketed", ticket.id
    return ticket, document


def page_count(value: object) -> Optional[int]:
    """A declared page count, or None when missing or nonsense."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= 10_000 else None


def telnyx_fax(event: object) -> dict:
    """The payload of a Telnyx `fax.received` event; BadIntakeRequest says what is wrong."""
    data = event.get("data") if isinstance(event, dict) else None
    if not isinstance(data, dict) or data.get("event_type") != "fax.received":
        raise BadIntakeRequest("not a fax.received event")
    payload = data.get("payload")
    if not isinstance(payload, dict):
        raise BadIntakeRequest("fax.received without payload")
    url = payload.get("media_url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise BadIntakeRequest("fax.received without an http(s) media_url")
    return payload


def fetch_telnyx_media(item_id: int) -> None:
    """Fetch a Telnyx fax's document from its media URL and open the ticket; safe to run
    twice. A failed download raises, so that rq tries again."""
    with jobs.job_app() as app, new_session() as session:
        with session.begin():
            item = session.get(IntakeItem, item_id)
            if item is None or item.status == "ticketed":
                return
            payload = dict(item.meta.get("payload", {}))
        response = requests.get(payload["media_url"], timeout=FETCH_TIMEOUT_SECONDS)
        if response.status_code >= 500 or response.status_code == 429:
            raise ConnectionError(f"fax media {payload.get('fax_id')}: HTTP {response.status_code}")
        data = response.content if response.ok else b""
        with session.begin():
            item = session.get(IntakeItem, item_id)
            if item.status == "ticketed":
                return
            if not response.ok:
                item.error = f"media URL answered HTTP {response.status_code}"
            take_fax(session, item, data, app.config, sender=payload.get("from"),
                     recipient=payload.get("to"), declared_pages=page_count(payload.get("page_count")))


def start_fetch(item_id: int) -> None:
    """Start the job that fetches a Telnyx fax's media."""
    jobs.enqueue(FETCH_JOB, item_id, job_id=f"fax-media-{item_id}",
                 retry_seconds=(10, 30, 120, 300, 900))
