"""Greeting and price announcement (§ 110 TKG), then the start of charging.

| state    | caller hears                                       | keys           | leads to            |
|----------|----------------------------------------------------|----------------|---------------------|
| greeting | welcome, prices (not interruptible), language offer | 8              | greeting, other language |
|          | then the charging pause, listening                 | silence        | menu, charging starts now |
|          |                                                    | any other key  | pause, menu, charging starts after the pause |
"""
from __future__ import annotations

import datetime as dt

from billing.tariffs import announced_prices, call_price_digit
from callflows.engine import Outcome, State, Turn
from callflows.script import Keys, Line
from prompts import LANGUAGES, spoken_price

LANGUAGE_KEY = "8"


def other_language(language: str) -> str:
    """The language the `8` key switches to."""
    return LANGUAGES[1] if language == LANGUAGES[0] else LANGUAGES[0]


def switch_language(turn: Turn) -> None:
    """Switch every later prompt of the call to the other language."""
    turn.call.language = other_language(turn.call.language)
    turn.record("language", language=turn.call.language)


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
