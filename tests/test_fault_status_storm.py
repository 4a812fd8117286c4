"""The same final status callback, 1,000 times at once, against the app under gunicorn:
every answer is a 2xx, the call has one charge record, the callback is stored once."""
from __future__ import annotations

import datetime as dt
import email.utils
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator

from billing.models import ChargeRecord
from billing.records import RATED_FIELDS
from ivr.models import Call, CallEvent, StatusCallback
from tests.conftest import AUTH_TOKEN, REDIS_TEST_URL
from tests.servers import WorkerProcess, fresh_postgres_database, gunicorn, hotline_env, wait_until
from tests.test_rating_order import expected_record

CALL_SID = "CA" + "7" * 32
STORM = 1000
SENDERS = 100
QUEUE_SECONDS = 40
TALK_SECONDS = 200


class TwilioOverHttp:
    """Signed webhook requests to a real server, one requests.Session per thread."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.local = threading.local()

    def post(self, path: str, **params: str) -> requests.Response:
        data = {"CallSid": CALL_SID, "AccountSid": "AC" + "0" * 32, "From": "+4923819738700",
                "To": "+499001410520", "CallStatus": "in-progress", "Direction": "inbound",
                **params}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(self.base_url + path, data)
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session.post(self.base_url + path, data=data, timeout=60,
                                       headers={"X-Twilio-Signature": signature})

    def twiml(self, path: str, **params: str) -> None:
        response = self.post(path, **params)
        assert response.status_code == 200 and b"<Response" in response.content, response.text


def bridged_call(twilio: TwilioOverHttp) -> None:
    """A call that heard the prices, was charged, waited in the queue and was bridged."""
    twilio.twiml("/twilio/voice")
    twilio.twiml("/twilio/step?state=greeting", Digits="")
    twilio.twiml("/twilio/step?state=menu", Digits="1")
    twilio.twiml("/twilio/step?state=support_number", Digits="*")
    twilio.twiml("/twilio/queue/wait", QueuePosition="1")
    twilio.twiml("/twilio/queue/left", QueueResult="bridged", QueueTime=str(QUEUE_SECONDS))


def final_callback(session: Session) -> dict[str, str]:
    """The call's final status callback, its Timestamp after queue and talk time."""
    call = session.scalar(select(Call).where(Call.call_sid == CALL_SID))
    charging = call.charging_started_at.replace(microsecond=0)
    ended = charging + dt.timedelta(seconds=QUEUE_SECONDS + TALK_SECONDS)
    return {"CallStatus": "completed", "SequenceNumber": "5",
            "CallDuration": str(QUEUE_SECONDS + TALK_SECONDS + 25),
            "Timestamp": email.utils.format_datetime(ended)}


def storm(twilio: TwilioOverHttp, params: dict[str, str], count: int = STORM,
          distinct: bool = False) -> list[int]:
    """The callback `count` times from SENDERS threads at once (each with a SequenceNumber
    of its own when `distinct`); the status codes."""
    start = threading.Barrier(SENDERS)

    def send(number: int) -> int:
        if number < SENDERS:
            start.wait()
        sequence = {"SequenceNumber": str(5 + number)} if distinct else {}
        return twilio.post("/twilio/status", **{**params, **sequence}).status_code

    with ThreadPoolExecutor(SENDERS) as pool:
        return list(pool.map(send, range(count)))


def charge_records(session: Session) -> list[ChargeRecord]:
    call_id = session.scalar(select(Call.id).where(Call.call_sid == CALL_SID))
    return session.scalars(select(ChargeRecord).where(ChargeRecord.call_id == call_id)).all()


def assert_one_record_and_one_end(session: Session) -> None:
    session.expire_all()
    [record] = charge_records(session)
    assert {name: getattr(record, name) for name in RATED_FIELDS if name != "tariff_id"} \
        == expected_record(TALK_SECONDS)
    assert session.scalar(select(func.count(CallEvent.id)).where(
        CallEvent.kind == "call_ended")) == 1


def assert_stored_once(session: Session, params: dict[str, str]) -> None:
    assert_one_record_and_one_end(session)
    [callback] = session.scalars(select(StatusCallback).where(
        StatusCallback.call_sid == CALL_SID, StatusCallback.call_status == "completed")).all()
    assert callback.sequence_number == 5
    assert {key: callback.payload[key] for key in params} == params
    call = session.scalar(select(Call).where(Call.call_sid == CALL_SID))
    assert call.status == "completed" and call.queue_seconds == QUEUE_SECONDS
    assert session.scalar(select(func.count()).select_from(Call)) == 1


@pytest.mark.parametrize("jobs", ["inline", "rq"])
def test_one_final_callback_sent_a_thousand_times_at_once_gives_one_record(jobs, tmp_path):
    database_url = fresh_postgres_database(f"storm_{jobs}")
    redis_url = None
    if jobs == "rq":
        from redis import Redis

        redis_url = REDIS_TEST_URL
        Redis.from_url(redis_url).flushdb()
    env = hotline_env(database_url, redis_url)
    engine = create_engine(database_url)
    worker = WorkerProcess(env, tmp_path / "worker.log") if redis_url else None
    try:
        with gunicorn(env, tmp_path / "gunicorn.log") as base_url, Session(engine) as session:
            twilio = TwilioOverHttp(base_url)
            bridged_call(twilio)
            params = final_callback(session)
            codes = storm(twilio, params)
            assert sorted(set(codes)) == [204], {code: codes.count(code) for code in set(codes)}
            if worker is not None:
                wait_until(lambda: charge_records(session) or session.expire_all(), 30,
                           "the worker to rate the call")
            assert_stored_once(session, params)
    finally:
        if worker is not None:
            worker.stop()
        engine.dispose()


def test_distinct_final_callbacks_at_once_end_the_call_once(tmp_path):
    """Final callbacks that differ (each its own SequenceNumber) are all kept, and exactly one
    of them ends the call: one call_ended event, one rating, one record."""
    database_url = fresh_postgres_database("storm_distinct")
    engine = create_engine(database_url)
    try:
        with gunicorn(hotline_env(database_url), tmp_path / "gunicorn.log") as base_url, \
                Session(engine) as session:
            twilio = TwilioOverHttp(base_url)
            bridged_call(twilio)
            codes = storm(twilio, final_callback(session), count=300, distinct=True)
            assert set(codes) == {204}
            assert_one_record_and_one_end(session)
            assert session.scalar(select(func.count(StatusCallback.id)).where(
                StatusCallback.call_status == "completed")) == 300
    finally:
        engine.dispose()
