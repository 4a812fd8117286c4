"""The one decorator every Twilio webhook wears: signature check, TwiML out, no 500s."""
from __future__ import annotations

import functools
import logging
from typing import Callable

from flask import Response, current_app, request
from twilio.request_validator import RequestValidator, get_signature_algorithm
from twilio.twiml.voice_response import VoiceResponse

from ivr.db import close_session

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"


def signed_url() -> str:
    """The URL Twilio signed: PUBLIC_BASE_URL (else the request's own root) + path + query.

    The query is taken as it was sent, percent-escapes and all, since Twilio signs the URL
    exactly as it requested it.
    """
    base = current_app.config.get("PUBLIC_BASE_URL") or request.root_url
    query = request.query_string.decode("latin-1")
    return base.rstrip("/") + request.path + (f"?{query}" if query else "")


def signature_is_valid() -> bool:
    """Whether the request carries Twilio's signature for its URL and parameters."""
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        return False
    validator = RequestValidator(current_app.config["TWILIO_AUTH_TOKEN"])
    algorithm = get_signature_algorithm(request.headers.get(SETTINGS_HEADER))
    return validator.validate(signed_url(), request.form, signature, algorithm)


def twiml(response: VoiceResponse) -> Response:
    """A TwiML document as the HTTP response."""
    return Response(str(response), status=200, mimetype="application/xml")


def twilio_webhook(on_error: Callable[[], VoiceResponse] | None = None):
    """Check the signature (403 without a valid one) and answer with the view's TwiML.

    An exception in the view is logged with the CallSid; the caller then hears what
    `on_error` returns instead of silence or a 500.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not signature_is_valid():
                return Response("invalid or missing X-Twilio-Signature\n", status=403,
                                mimetype="text/plain")
            try:
                result = view(*args, **kwargs)
            except Exception:
                log.exception("webhook %s failed for call %s", request.path,
                              request.form.get("CallSid", "-")[:64])
                close_session()
                if on_error is None:
                    raise
                return twiml(on_error())
            return twiml(result) if isinstance(result, VoiceResponse) else result

        return wrapper

    return decorate
