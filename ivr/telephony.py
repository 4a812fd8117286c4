"""Telephony provider actions on live calls, with Twilio's REST client.

The one place that changes calls from outside a webhook: redirecting a call to new TwiML
(for example to dial an agent) and hanging up. `TWILIO_API_BASE_URL` points the client at
another server (tests use a local one).
"""
from __future__ import annotations

from flask import current_app
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

__all__ = ["TelephonyError", "hang_up", "redirect", "rest_client"]


class TelephonyError(RuntimeError):
    """The provider refused or failed an action on a call."""


def rest_client() -> Client:
    """Twilio's REST client for the configured account."""
    config = current_app.config
    client = Client(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"])
    if config.get("TWILIO_API_BASE_URL"):
        client.api.base_url = config["TWILIO_API_BASE_URL"].rstrip("/")
    return client


def redirect(call_sid: str, url: str) -> None:
    """Make the live call fetch and follow the TwiML at the (absolute) URL."""
    try:
        rest_client().calls(call_sid).update(url=url, method="POST")
    except TwilioRestException as exc:
        raise TelephonyError(f"redirecting call {call_sid} failed: {exc.msg}") from exc


def hang_up(call_sid: str) -> None:
    """End the live call."""
    try:
        rest_client().calls(call_sid).update(status="completed")
    except TwilioRestException as exc:
        raise TelephonyError(f"hanging up call {call_sid} failed: {exc.msg}") from exc
