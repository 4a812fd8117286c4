"""Support: the caller's customer number (Kundennummer), then the queue.

| input                 | caller hears                          | leads to                 |
|-----------------------|---------------------------------------|--------------------------|
| a customer number #   | the number read back                  | queue, customer attached |
| a web number (webNNN) | "that is the web number ..."          | asked again              |
| unknown digits        | "we do not know that number"          | asked again              |
| * (no number at hand) | "connecting you without a number"     | queue, unverified        |
| silence               | the question again                    | asked again              |
| third failure         | the reason, "connecting you ..."      | queue, unverified        |
"""
from __future__ import annotations

from callflows.engine import Outcome, State, Turn
from callflows.script import Keys, Line
from ivr.customers import CUSTOMER_NUMBER, find_customer, is_web_number
from prompts import spoken_digits


def ask(_turn: Turn) -> list[Line]:
    return [Line("support.ask_number")]


def on_keys(turn: Turn, keys: str) -> Outcome:
    if "*" in keys:
        turn.record("customer_skipped")
        return Outcome("queue", say=(Line("support.no_number"),), event="no_number")
    digits = keys.rstrip("#")
    if not CUSTOMER_NUMBER.fullmatch(digits):
        turn.record("customer_unknown")
        return failed(turn, Line("support.unknown"))
    customer = find_customer(turn.session, digits)
    if customer is not None:
        turn.call.customer = customer
        turn.record("customer_verified", customer_number=digits)
        return Outcome("queue", say=(Line("support.verified", {"digits": spoken_digits(digits)}),),
                       event="verified")
    if is_web_number(turn.session, digits):
        turn.record("customer_web_number", web_number=f"web{digits}")
        return failed(turn, Line("support.web_number"))
    turn.record("customer_unknown", keys=digits)
    return failed(turn, Line("support.unknown"))


def on_silence(turn: Turn) -> Outcome:
    return failed(turn)


def failed(turn: Turn, *say: Line) -> Outcome:
    """Ask again, or after the last try queue the caller unverified: a caller is never dropped."""
    if turn.tries_used():
        turn.record("customer_unverified")
        return Outcome("queue", say=(*say, Line("support.no_number")), event="tries_used")
    return Outcome("support_number", say=say, event="retry")


def states(settings) -> list[State]:
    """The support flow's table."""
    return [
        State("support_number", hears=ask,
              ends=Keys(finish_on_key="#", timeout=settings["NUMBER_TIMEOUT_SECONDS"]),
              on_keys=on_keys, on_silence=on_silence),
    ]
