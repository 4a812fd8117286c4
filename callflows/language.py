"""The caller's language: German by default, the `8` key switches to the other one."""
from __future__ import annotations

from callflows.engine import Turn
from prompts import LANGUAGES

LANGUAGE_KEY = "8"


def other_language(language: str) -> str:
    """The language the `8` key switches to."""
    return LANGUAGES[1] if language == LANGUAGES[0] else LANGUAGES[0]


def switch_language(turn: Turn) -> None:
    """Switch every later prompt of the call to the other language."""
    turn.call.language = other_language(turn.call.language)
    turn.record("language", language=turn.call.language)
