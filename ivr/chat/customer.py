"""The customers' side of the chat, entered only with a token from the customer account.

| route              | does                                                            |
|--------------------|-----------------------------------------------------------------|
| GET  /chat/enter   | the page a customer-account link opens: `/chat/enter#token=…`   |
| POST /chat/enter   | form field `token` (the page posts it): starts the chat session  |
| GET  /chat/        | the chat page (online: the room; offline: how else to reach us) |
| GET  /chat/stream  | server-sent events: messages the customer may see, status       |
| POST /chat/messages| JSON {body, to_support}: a public message or a [Support] question |
"""
from __future__ import annotations

from typing import Optional

from flask import (Blueprint, Response, current_app, jsonify, redirect, render_template,
                   request, session, url_for)

from ivr.chat import presence
from ivr.chat.exceptions import ChatError, EntryRefused, MessageRefused
from ivr.chat.limits import Limits
from ivr.chat.messages import Viewer, message_json, post_customer_message
from ivr.chat.stream import event_stream
from ivr.chat.tokens import ChatCustomer, read_entry_token
from ivr.console.auth import csrf_protect, csrf_token
from ivr.db import get_session, utcnow

bp = Blueprint("chat", __name__, url_prefix="/chat", template_folder="templates",
               static_folder="static", static_url_path="/static")
csrf_protect(bp)

SESSION_KEY = "chat_customer"


def current_customer() -> ChatCustomer:
    """The customer of this browser's chat session; EntryRefused (401) without a valid one."""
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict) or data.get("until", 0) < utcnow().timestamp():
        raise EntryRefused("Bitte öffnen Sie den Chat aus Ihrem Kundenaccount.", 401)
    return ChatCustomer(customer_number=data["number"], name=data["name"])


def online_now() -> bool:
    """Whether someone of support is available in the chat now."""
    return presence.chat_online(get_session(), utcnow(), current_app.config["CHAT_PRESENCE_SECONDS"])


def offline_reason() -> str:
    """What a customer is told when the chat is offline."""
    config = current_app.config
    return (f"Der Chat ist gerade offline. Sie erreichen den Support per E-Mail an "
            f"{config['CHAT_SUPPORT_EMAIL']} oder über die Hotline {config['CHAT_HOTLINE']}.")


def refused_page(exc: ChatError) -> tuple[str, int]:
    """The page telling a customer why they cannot enter."""
    return render_template("chat/refused.html", message=str(exc)), exc.status


@bp.errorhandler(ChatError)
def chat_error(exc: ChatError) -> Response:
    """JSON endpoints answer refusals with the status and {"error": reason}."""
    response = jsonify(error=str(exc))
    response.status_code = exc.status
    retry: Optional[int] = getattr(exc, "retry_after", None)
    if retry is not None:
        response.headers["Retry-After"] = str(retry)
    return response


@bp.get("/enter")
def opening():
    """The page a link from the customer account opens; its script posts the token from the
    URL's fragment, which never reaches the server's or a proxy's logs."""
    return render_template("chat/enter.html")


@bp.post("/enter")
def enter():
    """Check the entry token and start the chat session; the chat page loads without it."""
    config = current_app.config
    try:
        customer = read_entry_token(config["CHAT_SHARED_SECRET"], request.form.get("token"),
                                    config["CHAT_TOKEN_SECONDS"])
    except EntryRefused as exc:
        return refused_page(exc)
    session[SESSION_KEY] = {"number": customer.customer_number, "name": customer.name,
                            "until": int(utcnow().timestamp()) + config["CHAT_SESSION_SECONDS"]}
    csrf_token()
    return redirect(url_for("chat.room"))


@bp.get("/")
def room():
    """The chat page: the room while online, how else to reach support while offline."""
    try:
        customer = current_customer()
    except EntryRefused as exc:
        return refused_page(exc)
    config = current_app.config
    return render_template("chat/room.html", customer=customer, online=online_now(),
                           max_chars=config["CHAT_MAX_MESSAGE_CHARS"],
                           email=config["CHAT_SUPPORT_EMAIL"], hotline=config["CHAT_HOTLINE"])


@bp.get("/stream")
def stream() -> Response:
    """The customer's event stream: public messages and their own private conversation."""
    customer = current_customer()
    return event_stream(Viewer(customer.customer_number))


@bp.post("/messages")
def post_message():
    """A customer's message; 201 with it, or a 4xx with the reason (429: Retry-After)."""
    customer = current_customer()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise MessageRefused("JSON {\"body\": \"…\", \"to_support\": true|false} erwartet.")
    to_support = data.get("to_support", False)
    if not isinstance(to_support, bool):
        raise MessageRefused("to_support muss true oder false sein.")
    if not online_now():
        raise MessageRefused(offline_reason(), 409)
    db = get_session()
    try:
        message = post_customer_message(db, customer, data.get("body"), to_support, utcnow(),
                                         Limits.from_config(current_app.config))
    except MessageRefused:
        db.rollback()
        raise
    db.commit()
    return jsonify(message_json(message, Viewer(customer.customer_number))), 201
