"""The queue: entering it, what waiting callers hear (§ 115 TKG), and leaving it.

| state   | caller hears                                   | ends with |
|---------|------------------------------------------------|-----------|
| queue   | (what led here)                                | Enqueue   |
| goodbye | thanks and goodbye                             | hang up   |
| ended   | nothing                                        | hang up   |

While in the queue the wait URL says, from the first moment and then every interval:
position, expected wait and that waiting is free; then hold music or silence.

| queue result (Enqueue action)           | leads to                          |
|-----------------------------------------|-----------------------------------|
| bridged, bridging-in-process            | goodbye                           |
| hangup                                  | ended (nothing more is said)      |
| redirected                              | (stays; the redirect's TwiML runs) |
| queue-full, error, system-error, leave  | "cannot queue you", the menu      |

When the database cannot be reached the wait URL says only that waiting is free, then holds
(`hold`), and the Enqueue action goes on as far as it can without it (`left_unrecorded`).
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Optional

from callflows.engine import HANGUP, QUEUE, Outcome, State, Turn
from callflows.script import Hangup, Line, Music, Pause, Queue, Say, Script
from ivr.queue import expected_wait_seconds, has_left

RESULT_LEADS_TO = {
    "bridged": Outcome("goodbye", event="bridged"),
    "bridging-in-process": Outcome("goodbye", event="bridged"),
    "hangup": Outcome("ended", event="hangup"),
}
#: Results after which the call already follows other TwiML: the answer is ignored.
ELSEWHERE = ("redirected",)
NOT_QUEUED = Outcome("menu", say=(Line("queue.unavailable"),), event="not_queued")
#: Results after which the queue cannot take the caller again right away.
QUEUE_REFUSED = ("queue-full", "error", "system-error")


def entered(turn: Turn) -> None:
    """Note the time the caller enters the queue."""
    call = turn.call
    call.enqueued_at = turn.now
    call.intent = call.intent or "support"
    turn.record("queue_entered", intent=call.intent,
                customer_number=call.customer.customer_number if call.customer else None)


def goodbye(_turn: Turn) -> list[Line]:
    return [Line("queue.goodbye")]


def wait_lines(turn: Turn, position: int) -> list[Line]:
    """Position, expected wait and that waiting is free of charge."""
    seconds = expected_wait_seconds(turn.session, position, turn.now,
                                    turn.settings["QUEUE_DEFAULT_SECONDS_PER_POSITION"])
    minutes = math.ceil(seconds / 60)
    if seconds < 60:
        wait = Line("queue.wait_under_a_minute")
    elif minutes == 1:
        wait = Line("queue.wait_one_minute")
    else:
        wait = Line("queue.wait_minutes", {"minutes": minutes})
    return [Line("queue.position", {"position": position}), wait, Line("queue.free")]


def reached_by_wait_url(turn: Turn, waited_seconds: int) -> None:
    """A caller the wait URL finds outside the queue's state (queued by an apology): move them in.

    Their queue time counts from when Twilio queued them, `waited_seconds` (QueueTime) ago,
    though not from before the call started or the caller last left the queue: it is free.
    """
    call = turn.call
    if call.state != "queue":
        turn.record("transition", **{"from": call.state, "event": "wait_url", "to": "queue"})
        call.state = "queue"
        call.tries = 0
    entered(turn)
    since = turn.now - dt.timedelta(seconds=waited_seconds)
    if call.started_at is not None:
        since = max(since, min(call.started_at, turn.now))
    if call.left_queue_at is not None and call.left_queue_at < turn.now:
        since = max(since, call.left_queue_at + dt.timedelta(microseconds=1))
    call.enqueued_at = since


def interval(settings) -> Music | Pause:
    """The rest of one interval in the queue: hold music, or silence."""
    music = settings.get("HOLD_MUSIC_URL")
    return Music(music) if music else Pause(settings["QUEUE_ANNOUNCE_INTERVAL_SECONDS"])


def hold(settings) -> Script:
    """One interval for a waiting caller whose place cannot be read: waiting is free, then hold.

    Only verbs a wait URL may answer with; when they end, Twilio asks the wait URL again.
    """
    return [Say(Line("queue.wait_unknown")), Say(Line("queue.free")), interval(settings)]


def left_unrecorded(result: str, settings) -> Script:
    """What follows the queue when how the caller left cannot be stored.

    After an agent: goodbye. A full or failing queue: sorry, goodbye (the menu needs the
    database). Any other way out: the apology and back into the queue.
    """
    if result in ELSEWHERE or result == "hangup":
        return []
    if result in RESULT_LEADS_TO:
        return [Say(Line("queue.goodbye")), Hangup()]
    if result in QUEUE_REFUSED:
        return [Say(Line("queue.unavailable")), Say(Line("queue.goodbye")), Hangup()]
    return [Say(Line("error.apology")), Queue(settings["QUEUE_NAME"])]


def waiting(turn: Turn, position: int) -> Script:
    """What the caller hears while waiting, one interval long."""
    call = turn.call
    if call.queue_free_announced_at is None or (
        call.enqueued_at and call.queue_free_announced_at < call.enqueued_at
    ):
        call.queue_free_announced_at = turn.now
        turn.record("queue_free_announced", position=position)
    script: Script = [Say(line) for line in wait_lines(turn, position)]
    script.append(interval(turn.settings))
    return script


def left(turn: Turn, result: str, queue_seconds: int) -> Optional[Outcome]:
    """Record how the caller left the queue; where the call goes on, None if elsewhere.

    The same action again (a retried request) counts the stint's queue time once and
    repeats where the call went.
    """
    call = turn.call
    if has_left(call):
        turn.record("queue_left_again", result=result)
        return None if call.queue_result in ELSEWHERE else Outcome(call.state, event="repeat")
    call.left_queue_at = turn.now
    call.queue_result = result
    call.queue_seconds = (call.queue_seconds or 0) + queue_seconds
    turn.record("queue_left", result=result, queue_seconds=queue_seconds)
    if result in ELSEWHERE:
        return None
    return RESULT_LEADS_TO.get(result, NOT_QUEUED)


def states(_settings) -> list[State]:
    """The queue's table."""
    return [
        State("queue", ends=QUEUE, on_enter=entered),
        State("goodbye", hears=goodbye, ends=HANGUP),
        State("ended", ends=HANGUP),
    ]
