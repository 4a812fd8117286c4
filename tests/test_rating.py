"""Rating by the premium-rate rules, with exact amounts for each rule."""
import datetime as dt
from decimal import Decimal

import pytest

from billing.models import Tariff
from billing.rating import rate
from ivr.models import Call

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)


def tariff(price="0.45", first=60, step=60, cap=None) -> Tariff:
    return Tariff(id=1, name="t", line_type="fixed", price_per_minute=Decimal(price),
                  vat_rate=Decimal("0.19"), first_step_seconds=first, step_seconds=step,
                  cap_per_call=None if cap is None else Decimal(cap), valid_from=T0)


def call(seconds: float, **changes) -> Call:
    """A completed call charged from T0 (announced 20 s before) that ended `seconds` later."""
    values = dict(call_sid="CA1", line_type="fixed", started_at=T0 - dt.timedelta(seconds=25),
                  announced_at=T0 - dt.timedelta(seconds=20), charging_started_at=T0,
                  ended_at=T0 + dt.timedelta(seconds=seconds), status="completed")
    values.update(changes)
    return Call(**values)


def amounts(rating):
    return (rating.billable_seconds, rating.billed_units, str(rating.gross), str(rating.net),
            str(rating.vat), rating.zero_reason)


@pytest.mark.parametrize("seconds, first, step, expected", [
    (61, 60, 60, (61, 2, "0.90", "0.76", "0.14", None)),
    (60, 60, 60, (60, 1, "0.45", "0.38", "0.07", None)),
    (1, 60, 60, (1, 1, "0.45", "0.38", "0.07", None)),
    (61, 60, 1, (61, 2, "0.46", "0.39", "0.07", None)),  # 60 s + 1 s = 0.4575 -> 0.46
    (30, 60, 1, (30, 1, "0.45", "0.38", "0.07", None)),  # the first step is a whole minute
    (61, 1, 1, (61, 61, "0.46", "0.39", "0.07", None)),
    (30, 1, 1, (30, 30, "0.23", "0.19", "0.04", None)),  # 0.225 rounds half-up, not to even
    (0.2, 1, 1, (1, 1, "0.01", "0.01", "0.00", None)),  # a started second is a second
])
def test_steps_round_up_and_cents_round_half_up(seconds, first, step, expected):
    assert amounts(rate(call(seconds), tariff(first=first, step=step))) == expected


def test_a_call_over_60_minutes_is_rated_as_60_minutes():
    rating = rate(call(90 * 60), tariff())
    assert amounts(rating) == (3600, 60, "27.00", "22.69", "4.31", None)


def test_the_per_call_cap_limits_the_gross():
    rating = rate(call(600), tariff(price="0.90", cap="5.00"))
    assert amounts(rating) == (600, 10, "5.00", "4.20", "0.80", None)


def test_queue_time_is_not_charged():
    queued = call(161, enqueued_at=T0 + dt.timedelta(seconds=30), queue_seconds=100,
                  queue_free_announced_at=T0 + dt.timedelta(seconds=30),
                  left_queue_at=T0 + dt.timedelta(seconds=200))
    assert amounts(rate(queued, tariff())) == (61, 2, "0.90", "0.76", "0.14", None)


def test_a_stint_no_action_closed_counts_as_queue_time_until_the_end():
    queued = call(300, enqueued_at=T0 + dt.timedelta(seconds=61),
                  queue_free_announced_at=T0 + dt.timedelta(seconds=61))
    assert amounts(rate(queued, tariff())) == (61, 2, "0.90", "0.76", "0.14", None)


def test_only_the_queue_stint_since_the_last_entry_is_open():
    requeued = call(300, enqueued_at=T0 + dt.timedelta(seconds=200), queue_seconds=40,
                    left_queue_at=T0 + dt.timedelta(seconds=100),
                    queue_free_announced_at=T0 + dt.timedelta(seconds=200))
    assert rate(requeued, tariff()).billable_seconds == 200 - 40


@pytest.mark.parametrize("changes, reason", [
    ({"charging_started_at": None}, "hung up during the price announcement"),
    ({"announced_at": None}, "§ 116: no price announcement before charging"),
    ({"announced_at": T0 + dt.timedelta(seconds=1)}, "§ 116: no price announcement before charging"),
    ({"enqueued_at": T0 + dt.timedelta(seconds=10), "queue_seconds": 30,
      "left_queue_at": T0 + dt.timedelta(seconds=40)}, "§ 116: queue time not announced as free"),
    ({"status": "busy"}, "call not completed (busy)"),
])
def test_a_call_that_broke_a_rule_costs_nothing_with_the_reason(changes, reason):
    assert amounts(rate(call(120, **changes), tariff())) == (0, 0, "0.00", "0.00", "0.00", reason)


def test_a_call_ending_before_charging_starts_has_no_billable_time():
    early = call(-2)  # a key in the greeting: charging would have started 3 s later
    assert amounts(rate(early, tariff())) == (0, 0, "0.00", "0.00", "0.00", "no billable time")
