"""The chat's limits: message size and how many messages a customer may send how often."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from typing import Mapping, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ivr.chat.exceptions import MessageRefused
from ivr.models import ChatMessage

#: Control characters other than tab and newline; they never reach the room.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclasses.dataclass(frozen=True)
class Limits:
    """Size and rate limits, from the app's configuration."""

    max_chars: int
    rate_messages: int
    rate_seconds: int

    @classmethod
    def from_config(cls, config: Mapping) -> "Limits":
        """The limits the configuration sets (CHAT_MAX_MESSAGE_CHARS, CHAT_RATE_*)."""
        return cls(int(config["CHAT_MAX_MESSAGE_CHARS"]), int(config["CHAT_RATE_MESSAGES"]),
                   int(config["CHAT_RATE_SECONDS"]))


def clean_body(body: object, max_chars: int) -> str:
    """The message text to keep: line endings unified, control characters dropped, trimmed.

    MessageRefused (400 empty or not text, 413 too long) with the reason otherwise.
    """
    if not isinstance(body, str):
        raise MessageRefused("Die Nachricht fehlt (Feld \"body\" mit Text).")
    body = CONTROL_CHARACTERS.sub("", body.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not body:
        raise MessageRefused("Die Nachricht ist leer.")
    if len(body) > max_chars:
        raise MessageRefused(f"Die Nachricht ist zu lang: höchstens {max_chars} Zeichen, "
                             f"diese hat {len(body)}.", 413)
    return body


def retry_after(session: Session, customer_number: str, now: dt.datetime,
                limits: Limits) -> Optional[int]:
    """Seconds until the customer may send again, when their messages in the window
    (the one just added included) are more than the limit; None when within it."""
    since = now - dt.timedelta(seconds=limits.rate_seconds)
    in_window = (ChatMessage.customer_number == customer_number, ChatMessage.sent_at > since)
    count = session.scalar(select(func.count()).select_from(ChatMessage).where(*in_window))
    if count <= limits.rate_messages:
        return None
    oldest = session.scalar(select(ChatMessage.sent_at).where(*in_window)
                            .order_by(ChatMessage.sent_at).limit(1))
    return max(1, math.ceil((oldest + dt.timedelta(seconds=limits.rate_seconds) - now).total_seconds()))
