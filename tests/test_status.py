"""Status callbacks: stored, idempotent, order-proof, and a final one starts the rating."""
import datetime as dt
import email.utils
from decimal import Decimal

from sqlalchemy import func, select

from billing.models import ChargeRecord, ChargeRecordChange
from ivr.calls import find_call
from ivr.models import StatusCallback

TIMESTAMP = "Wed, 25 Nov 2026 10:00:42 +0000"


def test_completed_callback_stores_status_duration_and_end(twilio, session):
    twilio.to_menu()
    response = twilio.post("/twilio/status", CallStatus="completed", CallDuration="42",
                           Timestamp=TIMESTAMP, SequenceNumber="3")
    assert response.status_code == 204
    call = find_call(session, twilio.call_sid)
    assert (call.status, call.duration_seconds) == ("completed", 42)
    assert call.ended_at.isoformat() == "2026-11-25T10:00:42+00:00"


def test_the_same_callback_twice_changes_nothing_more(twilio, session):
    twilio.to_menu()
    for _ in range(2):
        twilio.post("/twilio/status", CallStatus="completed", CallDuration="42", SequenceNumber="3")
    assert session.scalar(select(func.count(StatusCallback.id))) == 1
    assert session.scalar(select(func.count(ChargeRecord.id))) == 1


def test_callbacks_out_of_order_keep_the_final_status(twilio, session):
    twilio.to_menu()
    twilio.post("/twilio/status", CallStatus="completed", CallDuration="42", SequenceNumber="3")
    twilio.post("/twilio/status", CallStatus="in-progress", SequenceNumber="1")
    twilio.post("/twilio/status", CallStatus="busy", CallDuration="0", SequenceNumber="2")
    call = find_call(session, twilio.call_sid)
    assert (call.status, call.duration_seconds) == ("completed", 42)
    assert session.scalar(select(func.count(StatusCallback.id))) == 3


def test_callback_for_an_unknown_call_is_stored_not_refused(twilio, session):
    twilio.call_sid = "CA" + "9" * 32
    response = twilio.post("/twilio/status", CallStatus="completed", CallDuration="5")
    assert response.status_code == 204
    assert find_call(session, twilio.call_sid).status == "completed"
    stored = session.scalar(select(StatusCallback).where(StatusCallback.call_sid == twilio.call_sid))
    assert stored.payload["CallDuration"] == "5"


def test_completed_call_is_rated_inline_without_redis(twilio, session):
    twilio.to_menu()
    twilio.post("/twilio/status", CallStatus="completed", CallDuration="42")
    record = session.scalar(select(ChargeRecord))
    assert record is not None and record.call_id == find_call(session, twilio.call_sid).id


def test_status_callback_without_call_sid_is_a_400_with_reason(twilio):
    response = twilio.post("/twilio/status", CallSid=..., CallStatus="completed")
    assert response.status_code == 400
    assert "CallSid" in response.get_data(as_text=True)


def test_a_caller_who_hung_up_during_the_announcement_pays_nothing(twilio, session):
    twilio.start()
    twilio.post("/twilio/status", CallStatus="completed", CallDuration="12")
    record = session.scalar(select(ChargeRecord))
    assert (record.billable_seconds, record.gross, record.zero_reason) == \
        (0, 0, "hung up during the price announcement")


def test_queue_time_of_an_agent_call_reported_after_the_end_is_not_charged(twilio, session):
    twilio.to_menu()
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    twilio.twiml("/twilio/queue/wait", QueuePosition="1")
    call = find_call(session, twilio.call_sid)
    ended = call.charging_started_at.replace(microsecond=0) + dt.timedelta(seconds=400)
    twilio.post("/twilio/status", CallStatus="completed", CallDuration="430",
                Timestamp=email.utils.format_datetime(ended))
    session.expire_all()
    # rated while the queue might have lasted until the end: only the moment before it counts
    assert session.scalar(select(ChargeRecord)).billable_seconds <= 1
    twilio.twiml("/twilio/queue/left", QueueResult="bridged", QueueTime="339")
    session.expire_all()
    record = session.scalar(select(ChargeRecord))
    assert (record.billable_seconds, record.billed_units, record.gross) == (61, 2, Decimal("0.90"))
    change = session.scalar(select(ChargeRecordChange))
    assert (change.charge_record_id, change.cause) == (record.id, "call changed after rating")
    assert change.billable_seconds <= 1
