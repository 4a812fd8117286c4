"""What a call flow answers with: a short script of things to say and do, before TwiML.

The webhooks render a script with Twilio's VoiceResponse; the flows never build XML.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Union


@dataclass(frozen=True)
class Line:
    """One prompt from the catalog. `barge_in=False` keeps it from being cut by a key."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    language: Optional[str] = None  # None: the call's language
    barge_in: bool = True


@dataclass(frozen=True)
class Keys:
    """The keypad input a state gathers."""

    num_digits: Optional[int] = None  # None: until finish_on_key or the timeout
    finish_on_key: str = "#"
    timeout: int = 5


@dataclass(frozen=True)
class Ask:
    """Say the lines while listening for keys; the answer goes to `state`."""

    state: str
    lines: tuple[Line, ...]
    keys: Keys


@dataclass(frozen=True)
class Say:
    """Say one line, without listening for keys."""

    line: Line


@dataclass(frozen=True)
class Pause:
    """Silence for a number of seconds."""

    seconds: int


@dataclass(frozen=True)
class Music:
    """Play hold music from a URL."""

    url: str


@dataclass(frozen=True)
class Queue:
    """Put the caller in the named queue."""

    name: str


@dataclass(frozen=True)
class DialAgent:
    """Connect the caller to an agent's phone; how it went is posted back for the agent."""

    agent_id: int
    number: str
    timeout: int
    call_sid: str  # the caller's call, named to the webhook of the agent's leg


@dataclass(frozen=True)
class Hangup:
    """End the call."""


Action = Union[Ask, Say, Pause, Music, Queue, DialAgent, Hangup]
Script = list[Action]
