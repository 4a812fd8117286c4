"""Exactly one charge record per call, the same whatever the order and repetition of the
status callback, the Enqueue action and the rating jobs, through the real webhooks."""
import datetime as dt
import email.utils
import itertools
import math
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rq import SimpleWorker
from sqlalchemy import select

from billing.jobs import rate_call
from billing.models import ChargeRecord
from billing.records import RATED_FIELDS
from ivr.calls import find_call
from ivr.models import Call

SIDS = itertools.count(1)
EVENTS = ("status", "left", "job")
#: Every order of both callbacks, each possibly repeated, with rating jobs anywhere.
ORDERS = st.lists(st.sampled_from(EVENTS), max_size=5).flatmap(
    lambda extra: st.permutations(["status", "left", *extra]))
PROPERTY = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def expected_record(talk_seconds: int) -> dict:
    """The rating at 0,45 EUR/min and 60/60 for the talk time, computed independently."""
    billable = min(3600, talk_seconds)
    gross = (Decimal("0.45") * math.ceil(billable / 60)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    net = (gross / Decimal("1.19")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return {"tariff_name": "support-page-fixed", "line_type": "fixed", "line_type_flagged": False,
            "billable_seconds": billable, "billed_units": math.ceil(billable / 60),
            "price_per_minute": Decimal("0.45"), "net": net, "vat": gross - net, "gross": gross,
            "zero_reason": None}


def queued_call(twilio, session):
    """A new call that heard the prices, was charged from then on and waits in the queue."""
    twilio.call_sid = f"CA{next(SIDS):032d}"
    twilio.to_menu()
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    twilio.twiml("/twilio/queue/wait", QueuePosition="1")
    session.expire_all()
    return find_call(session, twilio.call_sid)


def play(twilio, session, order, queue_seconds, talk_seconds, run_job, queued_jobs_run=True):
    call = queued_call(twilio, session)
    charging = call.charging_started_at.replace(microsecond=0)
    ended = charging + dt.timedelta(seconds=queue_seconds + talk_seconds)
    for event in order:
        if event == "status":
            twilio.post("/twilio/status", CallStatus="completed", SequenceNumber="9",
                        CallDuration=str(queue_seconds + talk_seconds + 25),
                        Timestamp=email.utils.format_datetime(ended))
        elif event == "left":
            twilio.twiml("/twilio/queue/left", QueueResult="bridged", QueueTime=str(queue_seconds))
        else:
            run_job(call.call_sid)
    if queued_jobs_run:  # jobs still on the queue run in the end
        run_job(call.call_sid)
    session.expire_all()
    return call.id


def assert_one_identical_record(session, call_id, queue_seconds, talk_seconds):
    records = session.scalars(select(ChargeRecord).where(ChargeRecord.call_id == call_id)).all()
    assert len(records) == 1
    assert {name: getattr(records[0], name) for name in RATED_FIELDS if name != "tariff_id"} \
        == expected_record(talk_seconds)
    assert session.get(Call, call_id).queue_seconds == queue_seconds  # each stint counted once


@PROPERTY
@given(order=ORDERS, queue_seconds=st.integers(0, 900), talk_seconds=st.integers(1, 4000))
def test_any_order_of_callbacks_and_inline_jobs_gives_one_identical_record(
        twilio, session, app, order, queue_seconds, talk_seconds):
    def run_job(call_sid):
        with app.app_context():
            rate_call(call_sid)

    call_id = play(twilio, session, order, queue_seconds, talk_seconds, run_job,
                   queued_jobs_run=False)  # inline, the webhooks ran theirs already
    assert_one_identical_record(session, call_id, queue_seconds, talk_seconds)


@PROPERTY
@given(order=ORDERS, queue_seconds=st.integers(0, 900), talk_seconds=st.integers(1, 4000))
def test_any_order_of_callbacks_and_rq_jobs_gives_one_identical_record(
        twilio, session, app, rq_queue, order, queue_seconds, talk_seconds):
    def run_job(_call_sid):
        with app.app_context():
            SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True)

    call_id = play(twilio, session, order, queue_seconds, talk_seconds, run_job)
    assert_one_identical_record(session, call_id, queue_seconds, talk_seconds)
