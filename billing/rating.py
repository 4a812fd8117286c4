"""Rating a finished call by the premium-rate rules (DESIGN §3, TKG §§ 110-116).

billable seconds = call end - charging start - time in the queue, at most 60 minutes,
rounded up to the tariff's steps; gross = price per minute x billed minutes, half-up to
the cent (capped per call if the tariff says so); net and VAT split from the gross.
A call that broke a rule, or never reached charging, is rated 0,00 EUR with the reason.

Queue time comes from one source, Twilio's `QueueTime` of the Enqueue action, summed over
the call's stints in the queue. A stint that no action has closed yet when the call is
rated (a caller bridged to an agent: Twilio sends the action only after the agent's call
ended) counts from entering the queue to the call's end: the caller is never charged for
time that may have been queue time. When the action arrives later, the call is rated again
and its record replaced, so the final record is the same in whatever order the status
callback, the Enqueue action and the rating jobs come.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from billing.models import Tariff
from ivr.models import Call
from ivr.queue import has_left

CENT = Decimal("0.01")
MAX_BILLABLE_SECONDS = 60 * 60  # § 113: cut off after 60 minutes
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Rating:
    """What a call costs, and why."""

    billable_seconds: int
    billed_units: int
    price_per_minute: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    zero_reason: Optional[str] = None


def queue_seconds(call: Call, end: dt.datetime) -> int:
    """Seconds the caller spent in the queue, an unclosed stint counting until the end."""
    seconds = call.queue_seconds or 0
    if call.enqueued_at is not None and not has_left(call):
        seconds += max(0, math.ceil((end - call.enqueued_at).total_seconds()))
    return seconds


def zero_reason(call: Call) -> Optional[str]:
    """Why the call costs nothing, or None when it is charged."""
    if call.status != "completed" or call.ended_at is None:
        return f"call not completed ({call.status})"
    if call.announced_at is None:
        return "§ 116: no price announcement before charging"
    if call.charging_started_at is None:
        return "hung up during the price announcement"
    if call.announced_at > call.charging_started_at:
        return "§ 116: no price announcement before charging"
    if call.enqueued_at is not None and call.queue_free_announced_at is None \
            and queue_seconds(call, call.ended_at) > 0:
        return "§ 116: queue time not announced as free"
    return None


def billed_units(seconds: int, tariff: Tariff) -> int:
    """Steps charged: the first step, then each started further step."""
    if seconds <= 0:
        return 0
    rest = max(0, seconds - tariff.first_step_seconds)
    return 1 + math.ceil(rest / tariff.step_seconds)


def rate(call: Call, tariff: Tariff) -> Rating:
    """The rating of a finished call under the tariff."""
    reason = zero_reason(call)
    price = tariff.price_per_minute
    if reason is not None:
        return Rating(0, 0, price, ZERO, ZERO, ZERO, reason)
    elapsed = math.ceil((call.ended_at - call.charging_started_at).total_seconds())
    billable = min(MAX_BILLABLE_SECONDS, max(0, elapsed - queue_seconds(call, call.ended_at)))
    units = billed_units(billable, tariff)
    billed_seconds = 0 if units == 0 else tariff.first_step_seconds + (units - 1) * tariff.step_seconds
    gross = (price * billed_seconds / 60).quantize(CENT, ROUND_HALF_UP)
    if tariff.cap_per_call is not None:
        gross = min(gross, tariff.cap_per_call)
    net = (gross / (1 + tariff.vat_rate)).quantize(CENT, ROUND_HALF_UP)
    return Rating(billable, units, price, net, gross - net, gross,
                  None if billable else "no billable time")

