"""The machine that runs call flows written as tables of states.

A state says what the caller hears on entering it and how it ends: by listening for keys
(`Keys`), by going straight on to another state (`Then`), by queueing or by hanging up.
An answer to a state's keys goes to its `on_keys` (or `on_silence` when none came), which
returns an `Outcome`: what to say first and the next state. Every transition is stored on
the call's row and logged as `state -[event]-> next`.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, Sequence, Union

from sqlalchemy.orm import Session

from callflows.script import Ask, Hangup, Keys, Line, Pause, Queue, Say, Script
from ivr.models import Call, CallEvent

log = logging.getLogger(__name__)


@dataclass
class Turn:
    """One request of one call: the call's row, the settings and the moment."""

    session: Session
    call: Call
    settings: Mapping[str, Any]
    now: dt.datetime

    def tries_used(self) -> bool:
        """Count a failed try at the current state; True once the last try is used."""
        self.call.tries += 1
        return self.call.tries >= self.settings["MAX_TRIES"]

    def record(self, kind: str, **detail: Any) -> None:
        """Add an event to the call's audit log."""
        self.session.add(
            CallEvent(call=self.call, at=self.now, kind=kind, state=self.call.state, detail=detail)
        )


@dataclass(frozen=True)
class Outcome:
    """Where an input leads: lines to say first, an optional pause, then the next state."""

    to: str
    say: tuple[Line, ...] = ()
    pause: int = 0
    event: str = "input"


@dataclass(frozen=True)
class Then:
    """A state that goes straight on to another one."""

    state: str


class QueueEnd:
    """A state that puts the caller in the queue."""


class HangupEnd:
    """A state that ends the call."""


QUEUE = QueueEnd()
HANGUP = HangupEnd()

Hears = Callable[[Turn], Sequence[Line]]


def nothing(_turn: Turn) -> Sequence[Line]:
    """A state that says nothing of its own."""
    return ()


@dataclass(frozen=True)
class State:
    """One row of a flow's table."""

    name: str
    hears: Hears = nothing
    ends: Union[Keys, Then, QueueEnd, HangupEnd] = HANGUP
    on_keys: Optional[Callable[[Turn, str], Outcome]] = None
    on_silence: Optional[Callable[[Turn], Outcome]] = None
    on_enter: Optional[Callable[[Turn], None]] = None
    secret_input: bool = False  # the keys are never stored or logged


class UnknownState(LookupError):
    """A call's row names a state no flow defines."""


@dataclass
class Machine:
    """All states of all flows, by name."""

    states: dict[str, State] = field(default_factory=dict)

    def add(self, *states: State) -> None:
        """Add the rows of a flow's table."""
        for state in states:
            if state.name in self.states:
                raise ValueError(f"state {state.name!r} is defined twice")
            self.states[state.name] = state

    def state(self, name: str) -> State:
        """The state of that name."""
        try:
            return self.states[name]
        except KeyError:
            raise UnknownState(f"no call flow state {name!r}") from None

    def enter(self, turn: Turn, name: str, preface: Sequence[Line] = (), event: str = "enter") -> Script:
        """Move the call into a state and return what the caller hears there."""
        script: Script = []
        lines = list(preface)
        while True:
            state = self.state(name)
            self._move(turn, name, event)
            if state.on_enter:
                state.on_enter(turn)
            lines.extend(state.hears(turn))
            if isinstance(state.ends, Then):
                name, event = state.ends.state, "then"
                continue
            break
        if isinstance(state.ends, Keys):
            script.append(Ask(state=state.name, lines=tuple(lines), keys=state.ends))
        else:
            script.extend(Say(line) for line in lines)
            script.append(Queue(turn.settings["QUEUE_NAME"]) if state.ends is QUEUE else Hangup())
        return script

    def answer(self, turn: Turn, asked_state: str, digits: str) -> Script:
        """Handle the keys the caller typed in answer to `asked_state`."""
        current = self.state(turn.call.state)
        if asked_state != current.name or not isinstance(current.ends, Keys):
            turn.record("stale_answer", asked=asked_state[:40])
            return self.enter(turn, current.name, event="repeat")
        if digits:
            turn.record("keys", **({"count": len(digits)} if current.secret_input else {"keys": digits}))
            outcome = current.on_keys(turn, digits) if current.on_keys else Outcome(current.name)
        else:
            turn.record("silence")
            outcome = current.on_silence(turn) if current.on_silence else Outcome(current.name)
        script: Script = [Pause(outcome.pause)] if outcome.pause else []
        return script + self.enter(turn, outcome.to, outcome.say, event=outcome.event)

    def _move(self, turn: Turn, name: str, event: str) -> None:
        call = turn.call
        if call.state != name:
            call.tries = 0
        log.info("call %s: %s -[%s]-> %s", call.call_sid, call.state, event, name)
        turn.record("transition", **{"from": call.state, "event": event, "to": name})
        call.state = name


#: What a state's handler gets for input no keypad can produce (letters, overlong input).
NOT_KEYS = "?"


def keypad_input(raw: Optional[str], limit: int = 64) -> str:
    """Keypad input as Twilio sends it; anything a keypad cannot type becomes NOT_KEYS."""
    value = (raw or "").strip()
    if len(value) > limit or any(ch not in "0123456789*#" for ch in value):
        return NOT_KEYS
    return value
