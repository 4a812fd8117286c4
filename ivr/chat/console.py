"""The chat in the staff console: the whole room, answers, and "available for chat".

| route                                  | does                                                |
|----------------------------------------|-----------------------------------------------------|
| GET  /console/chat                     | the page                                            |
| GET  /console/chat/stream              | server-sent events: every message; renews presence  |
| POST /console/chat/presence            | JSON {available}: the switch, also a heartbeat      |
| POST /console/chat/messages            | JSON {body, reply_to, private}: to all, or privately to the asker |
| POST /console/chat/messages/N/ticket   | turn customer question N into a ticket              |
"""
from __future__ import annotations

import time

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from sqlalchemy.orm import Session

from ivr.agents import CALL_ROLES
from ivr.chat import presence
from ivr.chat.exceptions import ChatError, MessageRefused
from ivr.chat.messages import SUPPORT, message_json, post_support_message
from ivr.chat.stream import event_stream
from ivr.chat.tickets import ticket_from_question
from ivr.console.auth import csrf_protect, current_staff, role_required
from ivr.db import get_session, utcnow
from ivr.models import ChatMessage

bp = Blueprint("console_chat", __name__, url_prefix="/console/chat")
csrf_protect(bp)


@bp.errorhandler(ChatError)
def chat_error(exc: ChatError) -> Response:
    """Refusals as the status and {"error": reason}; nothing of the request is kept."""
    get_session().rollback()
    response = jsonify(error=str(exc))
    response.status_code = exc.status
    return response


def state_json() -> dict:
    """The staff member's switch and whether the chat is online."""
    config = current_app.config
    session, now = get_session(), utcnow()
    ttl = config["CHAT_PRESENCE_SECONDS"]
    return {"available": presence.switched_on(session, current_staff().id),
            "online": presence.chat_online(session, now, ttl)}


@bp.get("")
@role_required(*CALL_ROLES)
def page():
    """The chat page of the console."""
    config = current_app.config
    return render_template("chat/console.html", state=state_json(),
                           max_chars=config["CHAT_MAX_MESSAGE_CHARS"],
                           heartbeat_ms=config["CHAT_HEARTBEAT_SECONDS"] * 1000)


@bp.get("/stream")
@role_required(*CALL_ROLES)
def stream() -> Response:
    """Every message of the room as it comes; while it is open, the presence is renewed."""
    staff_id = current_staff().id
    get_session().close()  # the stream reads with sessions of its own
    every = current_app.config["CHAT_HEARTBEAT_SECONDS"]
    last = [float("-inf")]

    def renew(session: Session) -> None:
        if time.monotonic() - last[0] >= every:
            presence.heartbeat(session, staff_id, utcnow())
            session.commit()
            last[0] = time.monotonic()

    return event_stream(SUPPORT, on_poll=renew)


@bp.post("/presence")
@role_required(*CALL_ROLES)
def set_presence():
    """The "available for chat" switch: {available: true|false}."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("available"), bool):
        raise ChatError("JSON {\"available\": true|false} expected")
    presence.set_available(get_session(), current_staff().id, data["available"], utcnow())
    get_session().commit()
    return jsonify(state_json())


@bp.post("/messages")
@role_required(*CALL_ROLES)
def post_message():
    """Support's message: to the room, or with `private` only to the asker of `reply_to`."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise MessageRefused("JSON {\"body\": \"…\", \"reply_to\": id, \"private\": bool} expected")
    private = data.get("private", False)
    if not isinstance(private, bool):
        raise MessageRefused("private must be true or false")
    session = get_session()
    reply_to = None
    if data.get("reply_to") is not None:
        if not isinstance(data["reply_to"], int) or isinstance(data["reply_to"], bool):
            raise MessageRefused("reply_to must be a message id")
        reply_to = session.get(ChatMessage, data["reply_to"])
        if reply_to is None:
            raise MessageRefused(f"there is no message {data['reply_to']}", 404)
    message = post_support_message(session, current_staff(), data.get("body"), utcnow(),
                                   current_app.config["CHAT_MAX_MESSAGE_CHARS"], reply_to, private)
    session.commit()
    return jsonify(message_json(message, SUPPORT)), 201


@bp.post("/messages/<int:message_id>/ticket")
@role_required(*CALL_ROLES)
def make_ticket(message_id: int):
    """Turn a customer's [Support] question into a ticket: 201 with its number, or 200 with
    the ticket the question already had."""
    session = get_session()
    message = session.get(ChatMessage, message_id)
    if message is None:
        raise MessageRefused(f"there is no message {message_id}", 404)
    ticket, opened = ticket_from_question(session, message, current_staff(), current_app.config)
    session.commit()
    return jsonify(ticket=ticket.number,
                   url=url_for("console_tickets.detail", number=ticket.number)), 201 if opened else 200
