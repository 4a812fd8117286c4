"""Activation of a web account by phone (Freischaltung): domain, then password, by keypad.

| state               | caller hears                      | input            | leads to                 |
|---------------------|-----------------------------------|------------------|--------------------------|
| activation_domain   | how to type the domain, example   | keys #           | activation_password      |
|                     |                                   | not a domain     | asked again              |
| activation_password | type the password the same way    | keys # (secret)  | see below                |
|                     |                                   | matched, pending | "... ist freigeschaltet", menu |
|                     |                                   | matched, active  | "... bereits freigeschaltet", menu |
|                     |                                   | no match         | "domain or password wrong", domain again |
|                     |                                   | third failure    | the queue (intent activation_failed) |

Silence counts as a failed try in both states. The caller never hears whether a domain
exists before the password matched.
"""
from __future__ import annotations

import re

from callflows.engine import Outcome, State, Turn
from callflows.script import Keys, Line
from ivr.activation import Result, attempt
from ivr.keypad import base_letters

DOMAIN_KEYS = re.compile(r"[0-9*]{3,253}")
PASSWORD_KEYS = re.compile(r"[0-9*]{1,64}")
TRIES = "activation_tries"
SPOKEN_SIGNS = {"de": {".": " punkt ", "-": " Bindestrich "},
                "en": {".": " dot ", "-": " hyphen "}}


def spoken_domain(domain: str, language: str) -> str:
    """A domain as read to the caller: "example punkt de"."""
    text = base_letters(domain) if domain.startswith("xn--") or ".xn--" in domain else domain
    for sign, word in SPOKEN_SIGNS[language].items():
        text = text.replace(sign, word)
    return text


def ask_domain(_turn: Turn) -> list[Line]:
    return [Line("activation.ask_domain")]


def ask_password(_turn: Turn) -> list[Line]:
    return [Line("activation.ask_password")]


def on_domain(turn: Turn, keys: str) -> Outcome:
    keys = keys.rstrip("#")
    if not DOMAIN_KEYS.fullmatch(keys):
        return failed(turn, "activation_domain", Line("activation.invalid_domain"))
    turn.call.flow_data = {**(turn.call.flow_data or {}), "domain_keys": keys}
    return Outcome("activation_password", event="domain_typed")


def on_password(turn: Turn, keys: str) -> Outcome:
    keys = keys.rstrip("#")
    domain_keys = (turn.call.flow_data or {}).get("domain_keys", "")
    if not PASSWORD_KEYS.fullmatch(keys) or not domain_keys:
        return failed(turn, "activation_domain", Line("activation.not_matched"))
    call = turn.call
    result = attempt(turn.session, domain_keys, keys, call.caller, call.call_sid, turn.now)
    call.flow_data = {k: v for k, v in (call.flow_data or {}).items() if k != "domain_keys"}
    if result.result is not Result.NOT_MATCHED:
        call.flow_data = {k: v for k, v in call.flow_data.items() if k != TRIES}
    if result.result is Result.NOT_MATCHED:
        turn.record("activation_failed")
        return failed(turn, "activation_domain", Line("activation.not_matched"))
    account = result.account
    domain = spoken_domain(account.domain, call.language)
    turn.record(f"activation_{result.result.value}", web_number=account.web_number)
    key = "activation.done" if result.result is Result.ACTIVATED else "activation.already_active"
    return Outcome("menu", say=(Line(key, {"domain": domain}),), event=result.result.value)


def on_silence(turn: Turn) -> Outcome:
    return failed(turn, turn.call.state)


def failed(turn: Turn, retry_state: str, *say: Line) -> Outcome:
    """Try again from `retry_state`, or after the last try offer the queue.

    The tries are counted across both states of the flow, in the call's flow data.
    """
    tries = (turn.call.flow_data or {}).get(TRIES, 0) + 1
    turn.call.flow_data = {**(turn.call.flow_data or {}), TRIES: tries}
    if tries >= turn.settings["MAX_TRIES"]:
        turn.call.intent = "activation_failed"
        return Outcome("queue", say=(*say, Line("menu.to_queue")), event="tries_used")
    return Outcome(retry_state, say=say, event="retry")


def states(settings) -> list[State]:
    """The activation table."""
    timeout = settings["NUMBER_TIMEOUT_SECONDS"] + 3
    return [
        State("activation_domain", hears=ask_domain, ends=Keys(finish_on_key="#", timeout=timeout),
              on_keys=on_domain, on_silence=on_silence),
        State("activation_password", hears=ask_password,
              ends=Keys(finish_on_key="#", timeout=timeout),
              on_keys=on_password, on_silence=on_silence, secret_input=True),
    ]
