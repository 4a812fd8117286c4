"""Keypad text entry: how a domain or a password is typed on a phone (DESIGN §6)."""
from __future__ import annotations

import unicodedata

KEYPAD = {
    **dict.fromkeys("abc", "2"), **dict.fromkeys("def", "3"), **dict.fromkeys("ghi", "4"),
    **dict.fromkeys("jkl", "5"), **dict.fromkeys("mno", "6"), **dict.fromkeys("pqrs", "7"),
    **dict.fromkeys("tuv", "8"), **dict.fromkeys("wxyz", "9"),
    **{digit: digit for digit in "0123456789"},
    ".": "*", "-": "1",
}


class NotTypeable(ValueError):
    """Text with a character that has no key."""


def base_letters(text: str) -> str:
    """Lower case, IDN labels decoded, umlauts and accents as their base letter, ß as ss."""
    labels = []
    for label in text.strip().lower().split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError as exc:
                raise NotTypeable(f"{label!r} is not a valid IDN label") from exc
        labels.append(label)
    decomposed = unicodedata.normalize("NFKD", ".".join(labels).replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def keypad_signature(text: str) -> str:
    """The keys a caller presses for the text: "example.de" -> "3926753*33"."""
    letters = base_letters(text)
    try:
        return "".join(KEYPAD[ch] for ch in letters)
    except KeyError as exc:
        raise NotTypeable(f"{exc.args[0]!r} cannot be typed on a keypad") from None
