"""Entry tokens: the customer system's signed, short-lived pass into the chat.

A token is `itsdangerous.URLSafeTimedSerializer(CHAT_SHARED_SECRET, salt=SALT)` applied to
`{"customer_number": "10001", "name": "Erika Mustermann"}`. It carries its signing time;
the chat takes it for CHAT_TOKEN_SECONDS after that.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ivr.chat.exceptions import EntryRefused

SALT = "hotline-chat-entry"
CUSTOMER_NUMBER = re.compile(r"[0-9]{1,20}")
MAX_NAME = 80
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclasses.dataclass(frozen=True)
class ChatCustomer:
    """A customer in the chat, as the customer system named them."""

    customer_number: str
    name: str


def serializer(secret: str) -> URLSafeTimedSerializer:
    """The serializer both sides sign and check entry tokens with."""
    return URLSafeTimedSerializer(secret, salt=SALT)


def make_entry_token(secret: str, customer_number: str, name: str) -> str:
    """An entry token as the customer system makes it (for tools and tests)."""
    return serializer(secret).dumps({"customer_number": customer_number, "name": name})


def clean_name(name: object) -> Optional[str]:
    """A display name without control characters, 1 to MAX_NAME characters; None if unusable."""
    if not isinstance(name, str):
        return None
    name = " ".join(CONTROL_CHARACTERS.sub(" ", name).split())[:MAX_NAME]
    return name or None


def read_entry_token(secret: Optional[str], token: Optional[str], max_age: int) -> ChatCustomer:
    """The customer a valid token names; EntryRefused with the reason otherwise."""
    if not secret:
        raise EntryRefused("Der Chat ist nicht eingerichtet (kein gemeinsames Geheimnis).", 503)
    if not token:
        raise EntryRefused("Der Chat ist nur aus Ihrem Kundenaccount erreichbar: "
                           "bitte öffnen Sie ihn dort.", 401)
    try:
        data = serializer(secret).loads(token, max_age=max_age)
    except SignatureExpired:
        raise EntryRefused("Der Link zum Chat ist abgelaufen: bitte öffnen Sie den Chat "
                           "erneut aus Ihrem Kundenaccount.") from None
    except BadSignature:
        raise EntryRefused("Der Link zum Chat ist ungültig: bitte öffnen Sie den Chat "
                           "aus Ihrem Kundenaccount.") from None
    number = data.get("customer_number") if isinstance(data, dict) else None
    name = clean_name(data.get("name")) if isinstance(data, dict) else None
    if not isinstance(number, str) or not CUSTOMER_NUMBER.fullmatch(number) or name is None:
        raise EntryRefused("Der Link zum Chat nennt keine gültige Kundennummer und keinen Namen.",
                           400)
    return ChatCustomer(customer_number=number, name=name)
