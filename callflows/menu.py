"""The main menu.

| key     | leads to                                             |
|---------|------------------------------------------------------|
| 1       | support: the customer number                         |
| 2       | activation of a web account: the domain              |
| 3       | current outages and maintenance, then the menu       |
| 4       | the other ways to reach support, then the menu       |
| 8       | the other language, menu again                       |
| 9       | menu again                                           |
| other   | "invalid input", menu again; the third failure queues |
| silence | menu again; the third silence queues                 |
"""
from __future__ import annotations

from callflows.engine import Outcome, State, Turn
from callflows.language import LANGUAGE_KEY, switch_language
from callflows.script import Keys, Line

CHOICES = {
    "1": ("support", "support_number"),
    "2": ("activation", "activation_domain"),
    "3": (None, "notices"),
    "4": (None, "contact"),
    "9": (None, "menu"),
}


def options(_turn: Turn) -> list[Line]:
    return [Line("menu.options")]


def on_keys(turn: Turn, keys: str) -> Outcome:
    if keys == LANGUAGE_KEY:
        switch_language(turn)
        return Outcome("menu", event="language")
    if keys in CHOICES:
        intent, target = CHOICES[keys]
        if intent:
            turn.call.intent = intent
        return Outcome(target, event=f"key_{keys}")
    return failed(turn, Line("menu.invalid"))


def on_silence(turn: Turn) -> Outcome:
    return failed(turn)


def failed(turn: Turn, *say: Line) -> Outcome:
    """A wasted round: the menu again, or the queue after the last try."""
    if turn.tries_used():
        turn.call.intent = "menu_failed"
        return Outcome("queue", say=(*say, Line("menu.to_queue")), event="menu_failed")
    return Outcome("menu", say=say, event="retry")


def states(settings) -> list[State]:
    """The menu's table."""
    return [
        State("menu", hears=options,
              ends=Keys(num_digits=1, timeout=settings["MENU_TIMEOUT_SECONDS"]),
              on_keys=on_keys, on_silence=on_silence),
    ]
