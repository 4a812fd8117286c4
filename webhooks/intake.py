"""The intake's HTTP endpoints: raw mail, the customer interface, faxes.

| route                                | proof                   | takes                         |
|--------------------------------------|-------------------------|-------------------------------|
| POST /intake/mail                    | Bearer INTAKE_TOKEN     | one raw RFC 5322 message      |
| POST /intake/customer-interface      | HMAC (shared secret)    | JSON request with customer data |
| POST /intake/fax                     | HMAC (FAX_WEBHOOK_SECRET) | multipart: document, from, to, pages |
| POST /intake/telnyx/fax              | Telnyx Ed25519          | Telnyx `fax.received` events  |

Every request that passes its check is stored as it came before it is read.
"""
from __future__ import annotations

import functools
import json
import logging
from typing import Optional

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from ivr import fax, intake
from ivr.db import new_session
from ivr.exceptions import BadIntakeRequest, BadRequestSignature, MissingRequestSignature
from ivr.form_intake import parse_form, take_form
from ivr.mail_intake import receive_mail
from ivr.models import IntakeItem
from ivr.outbox import send_pending
from webhooks import intake_auth

log = logging.getLogger(__name__)

bp = Blueprint("intake", __name__, url_prefix="/intake")

#: The longest provider id kept (the column's width).
MAX_EXTERNAL_ID = 100


def refuse(status: int, reason: str) -> Response:
    """A plain-text refusal with its reason."""
    return Response(reason.rstrip() + "\n", status=status, mimetype="text/plain")


def intake_endpoint(check):
    """Size limit, then `check(body)` (401 without proof, 403 with a wrong one, each with
    its reason), then the view; a database that cannot store the request makes it 503."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper():
            limit = current_app.config["INTAKE_MAX_BYTES"]
            if (request.content_length or 0) > limit:
                return refuse(413, f"the request is larger than {limit} bytes")
            body = request.get_data(cache=True)
            try:
                check(body)
            except MissingRequestSignature as exc:
                return refuse(401, str(exc))
            except BadRequestSignature as exc:
                return refuse(403, str(exc))
            try:
                return view(body)
            except OperationalError:
                log.exception("intake %s could not reach the database", request.path)
                response = refuse(503, "the database is not reachable; try again later")
                response.headers["Retry-After"] = "60"
                return response

        return wrapper

    return decorate


def _bearer(_body: bytes) -> None:
    intake_auth.check_bearer_token(request.headers.get("Authorization"),
                                   current_app.config.get("INTAKE_TOKEN"))


def _hmac(secret_key: str):
    def check(body: bytes) -> None:
        intake_auth.check_hmac_signature(
            current_app.config.get(secret_key), request.headers.get(intake_auth.TIMESTAMP_HEADER),
            request.headers.get(intake_auth.SIGNATURE_HEADER), body,
            current_app.config["SIGNATURE_MAX_AGE_SECONDS"])

    return check


def _telnyx(body: bytes) -> None:
    intake_auth.check_telnyx_signature(
        current_app.config.get("TELNYX_PUBLIC_KEY"),
        request.headers.get(intake_auth.TELNYX_TIMESTAMP_HEADER),
        request.headers.get(intake_auth.TELNYX_SIGNATURE_HEADER), body,
        current_app.config["SIGNATURE_MAX_AGE_SECONDS"])


@bp.post("/mail")
@intake_endpoint(_bearer)
def mail(body: bytes):
    """One raw message, as an MTA or a mail fetcher hands it over."""
    if not body.strip():
        return refuse(400, "the body is empty; send the raw RFC 5322 message")
    taken = receive_mail(body, "http", current_app.config)
    return jsonify(item=taken.item_id, ticket=taken.ticket_number, new_ticket=taken.new_ticket,
                   receipt=taken.receipt, error=taken.error), 202


@bp.post("/customer-interface")
@intake_endpoint(_hmac("CUSTOMER_INTERFACE_SECRET"))
def customer_interface(body: bytes):
    """A request from the customer interface, with the customer's data."""
    with new_session() as session:
        with session.begin():
            item_id = intake.store_raw(session, channel="email", source="customer-interface",
                                       raw=body, content_type=request.content_type).id
        try:
            form = parse_form(body)
        except BadIntakeRequest as exc:
            with session.begin():
                intake.mark_failed(session, item_id, exc)
            return refuse(400, str(exc))
        with session.begin():
            ticket, receipt = take_form(session, session.get(IntakeItem, item_id), form,
                                        current_app.config)
    send_pending([receipt.id] if receipt.status == "pending" else [])
    return jsonify(item=item_id, ticket=ticket.number, receipt=receipt.status), 201


@bp.post("/fax")
@intake_endpoint(_hmac("FAX_WEBHOOK_SECRET"))
def fax_received(body: bytes):
    """A fax: multipart with the document (PDF or TIFF) and from, to and pages."""
    with new_session() as session:
        with session.begin():
            item_id = intake.store_raw(session, channel="fax", source="fax-webhook", raw=body,
                                       content_type=request.content_type).id
        if request.mimetype != "multipart/form-data":
            with session.begin():
                intake.mark_failed(session, item_id, BadIntakeRequest("not multipart/form-data"))
            return refuse(400, "send multipart/form-data with the fields document, from, to, pages")
        upload = request.files.get("document")
        data = upload.read() if upload is not None else b""
        with session.begin():
            ticket, document = fax.take_fax(
                session, session.get(IntakeItem, item_id), data, current_app.config,
                sender=request.form.get("from"), recipient=request.form.get("to"),
                declared_pages=fax.page_count(request.form.get("pages")))
    return jsonify(item=item_id, ticket=ticket.number, readable=document.problem is None,
                   problem=document.problem), 201


def telnyx_event_id(event: object) -> Optional[str]:
    """The event's id as it is stored (at most 100 characters), so that a repeated delivery
    is found by it; None without one."""
    data = event.get("data") if isinstance(event, dict) else None
    event_id = data.get("id") if isinstance(data, dict) else None
    return str(event_id)[:MAX_EXTERNAL_ID] if event_id else None


@bp.post("/telnyx/fax")
@intake_endpoint(_telnyx)
def telnyx_fax(body: bytes):
    """Telnyx fax events: `fax.received` is stored and its media fetched by a job."""
    try:
        event = json.loads(body)
    except ValueError:
        event = None
    event_id = telnyx_event_id(event)
    with new_session() as session:
        with session.begin():
            item = intake.store_raw(session, channel="fax", source="telnyx", raw=body,
                                    external_id=event_id, content_type=request.content_type)
            item_id = item.id
            try:
                payload = fax.telnyx_fax(event)
            except BadIntakeRequest as exc:
                item.status, item.error = "ignored", str(exc)
                return jsonify(item=item_id, ignored=str(exc)), 200
            if event_id and session.scalar(select(IntakeItem.id).where(
                    IntakeItem.external_id == event_id, IntakeItem.id != item_id,
                    IntakeItem.source == "telnyx").limit(1)) is not None:
                item.status = "duplicate"
                return jsonify(item=item_id, duplicate=True), 200
            item.meta = {"payload": payload}
    fax.start_fetch(item_id)
    return jsonify(item=item_id), 202
