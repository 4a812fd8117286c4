"""Redis stopped during calls: the webhooks answer as before, the jobs wait in the database."""
import threading
import time

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select

from billing.models import ChargeRecord
from ivr import jobs, workers
from ivr.models import Call, PendingJob
from tests.redis_server import RedisServer
from tests.twiml import spoken_text


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_on_own_redis(app, redis_server):
    app.config["REDIS_URL"] = redis_server.url
    jobs.init_app(app)
    return app


def test_calls_go_on_without_redis_and_their_jobs_run_when_it_is_back(
        app_on_own_redis, redis_server, twilio, session):
    first = twilio.call_sid
    twilio.start()
    redis_server.stop()

    menu = twilio.keys("greeting", "")
    assert menu.find("Gather") is not None
    assert twilio.post("/twilio/status", CallStatus="completed", CallDuration="95",
                       SequenceNumber="3").status_code == 204
    twilio.call_sid = second = "CA" + "2" * 32
    greeting = twilio.start()
    assert "45 Cent pro Minute" in spoken_text(greeting)

    kept = session.scalars(select(PendingJob.job_id).order_by(PendingJob.id)).all()
    assert kept == [f"rate-{first}", f"cutoff-{second}"]
    assert session.scalar(select(func.count(ChargeRecord.id))) == 0

    redis_server.start()
    result = app_on_own_redis.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output

    session.expire_all()
    assert session.scalar(select(func.count(PendingJob.id))) == 0
    rated = session.scalars(select(Call.call_sid).join(ChargeRecord,
                                                       ChargeRecord.call_id == Call.id)).all()
    assert rated == [first]
    connection = Redis.from_url(redis_server.url)
    scheduled = ScheduledJobRegistry(queue=Queue(jobs.QUEUE_NAME, connection=connection))
    assert scheduled.get_job_ids() == [f"cutoff-{second}"]


def test_a_relay_that_loses_redis_half_way_keeps_the_jobs(app_on_own_redis, redis_server, twilio,
                                                           session):
    redis_server.stop()
    twilio.start()
    assert session.scalar(select(func.count(PendingJob.id))) == 1
    with app_on_own_redis.app_context():
        queue = app_on_own_redis.extensions["rq.queue"]
        with pytest.raises(RedisError):
            jobs.relay_pending(queue)
    session.expire_all()
    assert session.scalar(select(func.count(PendingJob.id))) == 1


def test_a_running_worker_relays_kept_jobs_once_redis_is_back(app_on_own_redis, redis_server,
                                                              twilio, session, monkeypatch):
    redis_server.stop()
    twilio.start()
    redis_server.start()
    monkeypatch.setattr(workers, "RELAY_INTERVAL", 0.05)
    queue = workers.worker_queue(app_on_own_redis)
    stop = threading.Event()
    relay = threading.Thread(target=workers.relay_forever, args=(app_on_own_redis, queue, stop))
    relay.start()
    try:
        scheduled = ScheduledJobRegistry(queue=queue)
        for _ in range(200):
            if scheduled.get_job_ids():
                break
            time.sleep(0.05)
    finally:
        stop.set()
        relay.join()
    assert scheduled.get_job_ids() == [f"cutoff-{twilio.call_sid}"]
    session.expire_all()
    assert session.scalar(select(func.count(PendingJob.id))) == 0


def test_without_redis_waiting_callers_still_reach_an_idle_agent(app_on_own_redis, redis_server,
                                                                 twilio, twilio_api, make_staff,
                                                                 session):
    anna = make_staff("anna", status="available")
    twilio.to_menu()
    twilio.keys("menu", "1")
    twilio.keys("support_number", "*")
    redis_server.stop()
    twilio.twiml("/twilio/queue/wait")
    assert twilio_api.requests[0].form["Url"] == f"http://localhost/twilio/agent/dial?agent={anna.id}"
    session.expire_all()
    assert session.scalar(select(Call.agent_id).where(Call.call_sid == twilio.call_sid)) == anna.id
    kept = session.scalars(select(PendingJob.function)).all()
    assert "ivr.routing.dispatch_job" not in kept
