"""Information read out from the menu: notices and the other ways to reach support.

| state      | caller hears                                           | then |
|------------|--------------------------------------------------------|------|
| notices    | active outage and maintenance notices, newest first, or that none are known | menu |
| contact    | email, fax, chat and forum, as the support page gives them | menu |
"""
from __future__ import annotations

from callflows.engine import State, Then, Turn
from callflows.script import Line
from ivr.notices import active_notices
from prompts import spoken_digits

FAX_DIGITS = "023819738779"


def notices(turn: Turn) -> list[Line]:
    found = active_notices(turn.session, turn.now)
    turn.record("notices_read", count=len(found))
    if not found:
        return [Line("notices.none")]
    return [Line(f"notices.{n.kind}", {"text": n.text(turn.call.language)}) for n in found]


def contact(_turn: Turn) -> list[Line]:
    return [Line("contact.channels", {"fax": spoken_digits(FAX_DIGITS)})]


def states(_settings) -> list[State]:
    """The information table."""
    return [
        State("notices", hears=notices, ends=Then("menu")),
        State("contact", hears=contact, ends=Then("menu")),
    ]
