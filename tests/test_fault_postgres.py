"""PostgreSQL restarted during calls: callers hear the apology and the queue, never silence,
and the restart leaves no partial records.

The tests run the app over real HTTP against a private PostgreSQL server (tests.pg_cluster)
that they stop and start themselves.
"""
from __future__ import annotations

import datetime as dt
import itertools
import logging
import socket
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Iterator

import pytest
import requests
from rq import SimpleWorker
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

import prompts
from app import create_app
from billing.models import ChargeRecord
from ivr import jobs
from ivr.calls import FINAL_STATUSES, find_call, record_status
from ivr.db import get_session
from ivr.models import Call, CallEvent, StatusCallback
from tests.conftest import AUTH_TOKEN, jobs_on_test_redis, served
from tests.pg_cluster import pg_cluster, pg_database  # noqa: F401  (fixtures)
from tests.twiml import spoken, spoken_text, verbs
from webhooks.voice import STATUS_JOB, record_status_job

#: Longer than the engine's connect timeout: a request that takes this long hangs.
REQUEST_TIMEOUT = 20
APOLOGY = prompts.text("error.apology", "de")
FREE = prompts.text("queue.free", "de")
GOODBYE = prompts.text("queue.goodbye", "de")
WAIT_VERBS = ("Say", "Pause", "Play")  # what the wait URL answers with here: never Enqueue

_numbers = itertools.count(1)


class Caller:
    """One call as Twilio makes it: signed form posts to the served app."""

    def __init__(self, base_url: str):
        number = next(_numbers)
        self.base_url = base_url
        self.call_sid = f"CA{number:032d}"
        self.caller = f"+49238197{number:05d}"

    def post(self, path: str, **params: str) -> requests.Response:
        data = {"CallSid": self.call_sid, "AccountSid": "AC" + "0" * 32, "From": self.caller,
                "To": "+499001410520", "CallStatus": "in-progress", "Direction": "inbound",
                **params}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(self.base_url + path, data)
        return requests.post(self.base_url + path, data=data, timeout=REQUEST_TIMEOUT,
                             headers={"X-Twilio-Signature": signature})

    def twiml(self, path: str, **params: str) -> ET.Element:
        """POST and parse the answer, which must be a 200 TwiML document."""
        response = self.post(path, **params)
        assert response.status_code == 200, (path, response.status_code, response.text)
        assert response.headers["Content-Type"].startswith("application/xml")
        root = ET.fromstring(response.text)
        assert root.tag == "Response"
        return root

    def start(self) -> ET.Element:
        return self.twiml("/twilio/voice")

    def keys(self, state: str, digits: str) -> ET.Element:
        return self.twiml(f"/twilio/step?state={state}", Digits=digits)

    def to_menu(self) -> ET.Element:
        self.start()
        return self.keys("greeting", "")

    def to_queue(self) -> ET.Element:
        self.to_menu()
        self.keys("menu", "1")
        root = self.keys("support_number", "*")
        assert verbs(root)[-1] == "Enqueue"
        return root

    def wait(self) -> ET.Element:
        return self.twiml("/twilio/queue/wait", QueuePosition="1", QueueTime="10")

    def status(self, status: str = "completed", duration: str = "95",
               sequence: str = "3") -> requests.Response:
        return self.post("/twilio/status", CallStatus=status, CallDuration=duration,
                         SequenceNumber=sequence)


@pytest.fixture
def fault_app(pg_database, tmp_path):
    """The app on a fresh database of the private cluster; jobs inline (no Redis)."""
    app = create_app({"TESTING": True, "DATABASE_URL": pg_database, "REDIS_URL": None,
                      "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "SECRET_KEY": "test-secret"})
    app.instance_path = str(tmp_path / "instance")
    yield app
    app.extensions["db.engine"].dispose()


@pytest.fixture
def redis_queue(fault_app):
    """The app's jobs on rq in the test Redis database, flushed before and after."""
    yield from jobs_on_test_redis(fault_app)


@pytest.fixture
def server(fault_app) -> Iterator[str]:
    """The app served over real HTTP on a free loopback port."""
    yield from served(fault_app)


@pytest.fixture
def outage(pg_cluster):
    """Stops the private PostgreSQL (`outage.begin(mode)`) and starts it again (`outage.end()`);
    it is running again after the test in any case."""

    class Outage:
        def begin(self, mode: str = "fast") -> None:
            pg_cluster.stop(mode)

        def end(self) -> None:
            pg_cluster.start()

    yield Outage()
    if not pg_cluster.is_running():
        pg_cluster.start()


def run_jobs(app, queue) -> None:
    """Work off every queued job in this process, in the app's context."""
    with app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def assert_apology_and_queue(root: ET.Element) -> None:
    assert verbs(root) == ["Say", "Enqueue"]
    assert spoken(root) == [APOLOGY]
    enqueue = root.find("Enqueue")
    assert enqueue.get("waitUrl") == "/twilio/queue/wait"
    assert enqueue.get("action") == "/twilio/queue/left"


def assert_hold(root: ET.Element) -> None:
    assert verbs(root) == ["Say", "Say", "Pause"]
    assert FREE in spoken(root)
    assert int(root.find("Pause").get("length")) > 0


def test_calls_in_progress_hear_the_apology_and_the_queue_then_go_on(
        fault_app, redis_queue, server, outage):
    in_menu = Caller(server)
    in_menu.to_menu()
    at_number = Caller(server)
    at_number.to_menu()
    at_number.keys("menu", "1")
    waiting = Caller(server)
    waiting.to_queue()
    assert "Position 1" in spoken_text(waiting.wait())
    finishing = Caller(server)
    finishing.to_queue()
    finishing.wait()
    quiet = Caller(server)
    quiet.to_menu()
    new = Caller(server)
    with fault_app.extensions["db.sessionmaker"]() as session:  # in the menu for a while
        find_call(session, in_menu.call_sid).started_at -= dt.timedelta(minutes=5)
        session.commit()

    outage.begin("fast")
    assert_apology_and_queue(new.start())
    assert_apology_and_queue(in_menu.keys("menu", "1"))
    assert_apology_and_queue(at_number.keys("support_number", "10001"))
    assert_hold(waiting.wait())
    assert_hold(waiting.wait())  # the wait URL is asked again: the same hold, no error
    left = finishing.twiml("/twilio/queue/left", QueueResult="bridged", QueueTime="20")
    assert verbs(left) == ["Say", "Hangup"] and spoken(left) == [GOODBYE]
    for _ in range(2):  # Twilio may send a callback again
        assert finishing.status("completed", duration="95").status_code == 204
    assert any(job.func_name == STATUS_JOB for job in redis_queue.get_jobs())
    outage.end()

    for caller in (new, in_menu, at_number, waiting):
        root = caller.wait()
        assert verbs(root) == ["Say", "Say", "Say", "Pause"]
        assert "Position" in spoken(root)[0] and FREE in spoken(root)
    menu = quiet.keys("menu", "1")
    assert "Kundennummer" in spoken_text(menu) and verbs(menu) == ["Gather"]
    run_jobs(fault_app, redis_queue)

    with fault_app.extensions["db.sessionmaker"]() as session:
        for caller in (new, in_menu, at_number, waiting):
            call = find_call(session, caller.call_sid)
            assert call.state == "queue" and call.enqueued_at is not None
            assert call.queue_free_announced_at is not None
        queued_by_apology = find_call(session, in_menu.call_sid)
        kinds = [event.kind for event in queued_by_apology.events]
        assert kinds[-3:] == ["transition", "queue_entered", "queue_free_announced"]
        # free from when Twilio queued the caller: QueueTime (10 s) before the first wait
        assert (queued_by_apology.queue_free_announced_at - queued_by_apology.enqueued_at
                == dt.timedelta(seconds=10))
        ended = find_call(session, finishing.call_sid)
        assert (ended.status, ended.duration_seconds) == ("completed", 95)
        assert session.scalar(select(func.count()).select_from(StatusCallback)
                              .where(StatusCallback.call_sid == finishing.call_sid)) == 1
        assert session.scalar(select(func.count()).select_from(ChargeRecord)
                              .where(ChargeRecord.call_id == ended.id)) == 1
        assert_no_partial_records(session)


@pytest.mark.parametrize("redis_url", [None, "redis://127.0.0.1:1/0"],
                         ids=["no job queue", "Redis away too"])
def test_a_status_callback_no_store_can_take_is_refused_visibly_and_logged(
        fault_app, server, outage, caplog, redis_url):
    fault_app.config["REDIS_URL"] = redis_url  # the second: nothing listens there
    jobs.init_app(fault_app)
    caller = Caller(server)
    caller.to_queue()
    outage.begin("fast")
    with caplog.at_level(logging.ERROR, logger="webhooks.voice"):
        response = caller.status("completed", duration="61")
    assert response.status_code == 503 and "status callback not processed" in response.text
    assert caller.call_sid in caplog.text and '"CallDuration": "61"' in caplog.text
    outage.end()
    assert caller.status("completed", duration="61").status_code == 204


def test_the_status_job_stores_a_callback_once_and_finishes_what_an_interrupted_webhook_left(
        fault_app, server):
    caller = Caller(server)
    caller.to_menu()
    raw = {"CallSid": caller.call_sid, "CallStatus": "completed", "CallDuration": "80",
           "SequenceNumber": "4", "From": caller.caller, "To": "+499001410520"}
    received_at = "2026-11-25T10:00:00+00:00"
    with fault_app.app_context():
        session = get_session()
        record_status(session, raw, dt.datetime.fromisoformat(received_at), "de")
        session.commit()  # stored and ended, then the database went away before the rating
    with fault_app.extensions["db.sessionmaker"]() as session:
        assert session.scalar(select(func.count()).select_from(ChargeRecord)) == 0
    with fault_app.app_context():
        for _ in range(2):
            record_status_job(raw, received_at)
    with fault_app.extensions["db.sessionmaker"]() as session:
        call = find_call(session, caller.call_sid)
        assert (call.status, call.duration_seconds) == ("completed", 80)
        assert session.scalar(select(func.count()).select_from(StatusCallback)) == 1
        assert session.scalar(select(ChargeRecord.call_id)) == call.id
        assert_no_partial_records(session)


def test_queue_time_during_an_outage_is_not_charged(fault_app, redis_queue, server, outage):
    caller = Caller(server)
    caller.to_menu()  # the price was announced, charging has started
    outage.begin("fast")
    assert_apology_and_queue(caller.keys("menu", "1"))
    assert_hold(caller.wait())
    assert verbs(caller.twiml("/twilio/queue/left", QueueResult="hangup", QueueTime="600")) == []
    assert caller.status("completed", duration="700").status_code == 204
    outage.end()
    run_jobs(fault_app, redis_queue)
    with fault_app.extensions["db.sessionmaker"]() as session:
        call = find_call(session, caller.call_sid)
        assert (call.queue_result, call.queue_seconds) == ("hangup", 600)
        record = session.scalar(select(ChargeRecord).where(ChargeRecord.call_id == call.id))
        assert record is not None and record.billable_seconds <= 100
        assert_no_partial_records(session)


AFTER_THE_QUEUE = {  # QueueResult: what follows while the database is down
    "hangup": [],
    "redirected": [],
    "bridged": ["Say", "Hangup"],
    "queue-full": ["Say", "Say", "Hangup"],
    "leave": ["Say", "Enqueue"],
    "": ["Say", "Enqueue"],
}


def test_the_enqueue_action_goes_on_by_its_result_while_the_database_is_down(
        fault_app, server, outage):
    callers = {result: Caller(server) for result in AFTER_THE_QUEUE}
    for caller in callers.values():
        caller.to_queue()
    outage.begin("fast")
    for result, expected in AFTER_THE_QUEUE.items():
        root = callers[result].twiml("/twilio/queue/left", QueueResult=result, QueueTime="5")
        assert verbs(root) == expected, result
        if "Enqueue" in expected:
            assert_apology_and_queue(root)
    assert spoken(callers["bridged"].twiml("/twilio/queue/left", QueueResult="bridged")) == [GOODBYE]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word, like a hung server."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    yield listener.getsockname()[1]
    listener.close()


def test_a_database_server_that_hangs_gets_the_caller_the_apology_not_silence(
        silent_server, tmp_path):
    app = create_app({"TESTING": True, "REDIS_URL": None, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                      "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{silent_server}/hotline_pgfault",
                      "SECRET_KEY": "test-secret"})
    app.instance_path = str(tmp_path / "instance")
    for base_url in served(app):
        caller = Caller(base_url)
        assert_apology_and_queue(caller.start())  # within REQUEST_TIMEOUT, thanks to connect_timeout
        assert_hold(caller.wait())


CALL_SCRIPT = [
    ("/twilio/voice", {}),
    ("/twilio/step?state=greeting", {"Digits": ""}),
    ("/twilio/step?state=menu", {"Digits": "1"}),
    ("/twilio/step?state=support_number", {"Digits": "*"}),
    ("/twilio/queue/wait", {"QueuePosition": "1"}),
    ("/twilio/queue/wait", {"QueuePosition": "1"}),
    ("/twilio/queue/left", {"QueueResult": "hangup", "QueueTime": "12"}),
    ("/twilio/status", {"CallStatus": "completed", "CallDuration": "70", "SequenceNumber": "2"}),
    ("/twilio/status", {"CallStatus": "completed", "CallDuration": "70", "SequenceNumber": "2"}),
]
THREADS = 8
CALLS_PER_THREAD = 6


class Storm:
    """Threads that make calls through CALL_SCRIPT and check every answer as it comes."""

    def __init__(self, base_url: str):
        self.callers = [[Caller(base_url) for _ in range(CALLS_PER_THREAD)] for _ in range(THREADS)]
        self.answered = 0
        self.without_database = 0  # answers given without the database: apology or hold
        self.problems: list[str] = []
        self.changed = threading.Condition()

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.calls, args=(callers,), daemon=True)
                   for callers in self.callers]
        for thread in threads:
            thread.start()
        return threads

    def calls(self, callers: list[Caller]) -> None:
        for caller in callers:
            for path, params in CALL_SCRIPT:
                try:
                    problem = self.check(path, caller.post(path, **params))
                except Exception as exc:  # a hang (timeout) or a dropped connection
                    problem = f"{exc!r}"
                with self.changed:
                    self.answered += 1
                    if problem:
                        self.problems.append(f"{caller.call_sid} {path}: {problem}")
                    self.changed.notify_all()

    def check(self, path: str, response: requests.Response) -> str | None:
        if path == "/twilio/status":
            return None if response.status_code == 204 else f"{response.status_code} {response.text}"
        if response.status_code != 200:
            return f"{response.status_code} {response.text[:200]}"
        root = ET.fromstring(response.text)
        if root.tag != "Response":
            return f"not TwiML: {response.text[:200]}"
        if path == "/twilio/queue/wait" and any(verb not in WAIT_VERBS for verb in verbs(root)):
            return f"a wait URL may not answer {verbs(root)}"
        if APOLOGY in spoken(root) or verbs(root) == ["Say", "Say", "Pause"]:
            with self.changed:
                self.without_database += 1
        return None

    def wait_for(self, answers: int) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: self.answered >= answers, timeout=60), self.answered

    @property
    def call_sids(self) -> list[str]:
        return [caller.call_sid for callers in self.callers for caller in callers]


def test_a_crash_while_requests_are_in_flight_leaves_no_partial_records(
        fault_app, redis_queue, server, outage):
    storm = Storm(server)
    threads = storm.run()
    storm.wait_for(40)
    outage.begin("immediate")
    with storm.changed:
        answered_before = storm.answered
    storm.wait_for(answered_before + 40)  # all of them answered while the server is down
    outage.end()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    assert storm.problems == []
    assert storm.answered == THREADS * CALLS_PER_THREAD * len(CALL_SCRIPT)
    assert storm.without_database > 0
    run_jobs(fault_app, redis_queue)

    with fault_app.extensions["db.sessionmaker"]() as session:
        assert_no_partial_records(session)
        calls = {call.call_sid: call for call in session.scalars(select(Call))}
        assert sorted(calls) == sorted(storm.call_sids)  # every call reached the database
        for call in calls.values():  # and no final status callback was lost
            assert (call.status, call.duration_seconds) == ("completed", 70)


def assert_no_partial_records(session) -> None:
    """Every change of a request is there in full or not at all, across all call tables."""
    calls = {call.id: call for call in session.scalars(select(Call))}
    events = list(session.scalars(select(CallEvent).order_by(CallEvent.id)))
    assert [event.id for event in events if event.call_id not in calls] == []
    by_call: dict[int, list[CallEvent]] = {call_id: [] for call_id in calls}
    for event in events:
        by_call[event.call_id].append(event)
    for call_id, call in calls.items():
        kinds = Counter(event.kind for event in by_call[call_id])
        assert kinds["call_started"] == 1, call.call_sid
        transitions = [event for event in by_call[call_id] if event.kind == "transition"]
        assert call.state == (transitions[-1].detail["to"] if transitions else "new"), call.call_sid
        ended = call.ended_at is not None
        assert kinds["call_ended"] == (1 if ended else 0), call.call_sid
        assert (call.status in FINAL_STATUSES) == ended, call.call_sid
        assert (kinds["queue_entered"] > 0) == (call.enqueued_at is not None), call.call_sid
        assert (kinds["queue_left"] > 0) == (call.left_queue_at is not None), call.call_sid
        if call.queue_free_announced_at is not None:
            assert kinds["queue_free_announced"] > 0, call.call_sid
    callbacks = list(session.scalars(select(StatusCallback)))
    keys = Counter((cb.call_sid, cb.call_status, cb.sequence_number) for cb in callbacks)
    assert [key for key, count in keys.items() if count > 1] == []
    sids = {call.call_sid: call for call in calls.values()}
    for callback in callbacks:
        assert callback.call_sid in sids
        if callback.call_status in FINAL_STATUSES:
            assert sids[callback.call_sid].ended_at is not None, callback.call_sid
    records = list(session.scalars(select(ChargeRecord)))
    assert [cid for cid, n in Counter(r.call_id for r in records).items() if n > 1] == []
    rated = {record.call_id for record in records}
    for call_id, call in calls.items():
        assert (call_id in rated) == (call.ended_at is not None), call.call_sid
