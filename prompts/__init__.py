"""What callers hear: one catalog of prompt texts per language, and how values are spoken."""
from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import cache
from importlib.resources import files

LANGUAGES = ("de", "en")


class MissingPrompt(KeyError):
    """A prompt key or language the catalog does not have."""


@cache
def catalog() -> dict[str, dict[str, str]]:
    """The catalog, flattened to {"topic.name": {"de": ..., "en": ...}}."""
    raw = tomllib.loads((files("prompts") / "catalog.toml").read_text(encoding="utf-8"))
    return {
        f"{topic}.{name}": texts
        for topic, entries in raw.items()
        for name, texts in entries.items()
    }


def text(key: str, language: str, **params: object) -> str:
    """The prompt's text in the language, with its parameters filled in."""
    try:
        template = catalog()[key][language]
    except KeyError as exc:
        raise MissingPrompt(f"no prompt {key!r} in language {language!r}") from exc
    return template.format(**params)


def spoken_price(amount: Decimal, language: str) -> str:
    """A euro amount as a caller should hear it: "45 Cent", "1 Euro 49"."""
    cents_total = int((amount * 100).to_integral_value())
    euros, cents = divmod(cents_total, 100)
    if euros == 0:
        return text("price.cents", language, cents=cents)
    if cents == 0:
        return text("price.euros", language, euros=euros)
    return text("price.euros_and_cents", language, euros=euros, cents=f"{cents:02d}")


def spoken_digits(digits: str) -> str:
    """Digits read one by one: "10001" -> "1 0 0 0 1"."""
    return " ".join(digits)
