"""Greeting and price announcement (§ 110 TKG), then the start of charging.

| state    | caller hears                                       | keys           | leads to            |
|----------|----------------------------------------------------|----------------|---------------------|
| greeting | welcome, prices (not interruptible), language offer | 8              | greeting, other language |
|          | then the charging pause, listening                 | silence        | menu, charging starts now |
|          |                                                    | a menu choice  | pause, then that choice (callers who know the menu) |
|          |                                                    | any other key  | pause, menu         |

A key pressed before the pause is over never shortens it: charging starts after the pause.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from billing.tariffs import announced_prices, call_price_digit
from callflows import menu
from callflows.engine import Outcome, State, Turn
from callflows.language import LANGUAGE_KEY, other_language, switch_language
from callflows.script import Keys, Line
from prompts import spoken_price


def announcement(turn: Turn) -> list[Line]:
    """Welcome and prices from the tariff table, not interruptible, then the language offer."""
    language = turn.call.language
    digit = call_price_digit(turn.call.called, turn.settings["HOTLINE_NUMBER"])
    fixed, mobile = announced_prices(turn.session, turn.now, digit)
    pause = turn.settings["CHARGING_PAUSE_SECONDS"]
    if fixed == mobile:
        price = Line("greeting.price_all_networks",
                     {"price": spoken_price(fixed, language), "pause": pause}, barge_in=False)
    else:
        price = Line("greeting.price", {"fixed": spoken_price(fixed, language),
                                        "mobile": spoken_price(mobile, language),
                                        "pause": pause}, barge_in=False)
    offered = other_language(language)
    return [Line("greeting.welcome", barge_in=False), price,
            Line("language.offer", language=offered)]


def announced(turn: Turn) -> None:
    """Note when the price announcement was given."""
    turn.call.announced_at = turn.now
    turn.record("price_announced", language=turn.call.language)


def start_charging(turn: Turn, at: dt.datetime) -> None:
    """Record the call's charging start, once."""
    if turn.call.charging_started_at is None:
        turn.call.charging_started_at = at
        turn.record("charging_started", at=at.isoformat())


def on_keys(turn: Turn, keys: str) -> Outcome:
    if keys == LANGUAGE_KEY:
        switch_language(turn)
        return Outcome("greeting", event="language")
    pause = turn.settings["CHARGING_PAUSE_SECONDS"]
    start_charging(turn, turn.now + dt.timedelta(seconds=pause))
    if keys in menu.CHOICES:
        return dataclasses.replace(menu.on_keys(turn, keys), pause=pause)
    return Outcome("menu", pause=pause, event="early_key")


def on_silence(turn: Turn) -> Outcome:
    start_charging(turn, turn.now)
    return Outcome("menu", event="announcement_done")


def greeting_keys(settings) -> Keys:
    """The charging pause is the greeting's listening time."""
    return Keys(num_digits=1, timeout=settings["CHARGING_PAUSE_SECONDS"])


def states(settings) -> list[State]:
    """The greeting's table."""
    return [
        State("greeting", hears=announcement, ends=greeting_keys(settings),
              on_keys=on_keys, on_silence=on_silence, on_enter=announced),
    ]
