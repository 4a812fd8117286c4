"""Errors of the support chat, each with the HTTP status it is answered with."""
from __future__ import annotations

from typing import Optional

from ivr.exceptions import HotlineError


class ChatError(HotlineError):
    """Base of the chat's errors: `status` is the HTTP status, the message the reason."""

    status = 400


class EntryRefused(ChatError):
    """No way into the chat: no entry token, a forged or expired one, or no chat session."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


class MessageRefused(ChatError):
    """A message that is not taken: empty, too long, the chat offline, or sent too often.

    `retry_after` is set (seconds) when the same message may be sent again later.
    """

    def __init__(self, message: str, status: int = 400, retry_after: Optional[int] = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

