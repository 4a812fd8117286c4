"""A worker killed in the middle of a rating job: the job still completes, the call has
exactly one charge record.

The test holds the call's row with SELECT ... FOR UPDATE, so that the rating job of a real
`hotline worker` blocks at its own FOR UPDATE: the job is in the middle of its transaction
when its work horse (or the whole worker) is killed with SIGKILL. A killed horse is
retried within seconds; a whole worker's job only once rq's heartbeat of it has expired
(at least 60 s in rq 3.0), so that case takes about 70 s.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import threading

import pytest
from rq.job import Job, JobStatus
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.orm import Session

from billing.jobs import rater
from billing.models import ChargeRecord
from ivr.models import Call
from tests.conftest import REDIS_TEST_URL
from tests.servers import WorkerProcess, hotline_env, is_alive, kill, wait_until
from tests.test_rating_order import assert_one_identical_record, queued_call

QUEUE_SECONDS = 30
TALK_SECONDS = 125
#: Short intervals, so that the worker notices everything within seconds.
FAST_WORKER = {"WORKER_MAINTENANCE_SECONDS": "1", "WORKER_MONITORING_SECONDS": "1",
               "WORKER_TTL_SECONDS": "17"}

postgresql_only = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def finished_call(twilio, session) -> Call:
    """A charged call, bridged after its queue time, ended by its final status callback."""
    call = queued_call(twilio, session)
    twilio.twiml("/twilio/queue/left", QueueResult="bridged", QueueTime=str(QUEUE_SECONDS))
    ended = call.charging_started_at.replace(microsecond=0) + dt.timedelta(
        seconds=QUEUE_SECONDS + TALK_SECONDS)
    response = twilio.post("/twilio/status", CallStatus="completed", SequenceNumber="3",
                           CallDuration=str(QUEUE_SECONDS + TALK_SECONDS + 20),
                           Timestamp=email.utils.format_datetime(ended))
    assert response.status_code == 204
    return call


def waiting_for_a_lock(engine, query: str = "%") -> bool:
    """Whether a session of the test's database waits for a lock, in a statement like
    `query` (each look in a transaction of its own: PostgreSQL keeps one snapshot of its
    statistics per transaction)."""
    with engine.connect() as connection:
        return bool(connection.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE :query"), {"query": query}).scalar())


def records_of(session, call_id: int) -> list[ChargeRecord]:
    session.expire_all()
    return session.scalars(select(ChargeRecord).where(ChargeRecord.call_id == call_id)).all()


def job_finished(rq_queue, job_id: str) -> bool:
    """Whether the job has finished; a job given up as failed fails the test at once."""
    status = Job.fetch(job_id, connection=rq_queue.connection).get_status()
    assert status != JobStatus.FAILED, f"job {job_id} failed for good"
    return status == JobStatus.FINISHED


@postgresql_only
@pytest.mark.parametrize("victim", ["horse", "whole worker"])
def test_a_rating_job_whose_worker_is_killed_midway_still_makes_one_record(
        app, rq_queue, twilio, session, database_url, tmp_path, victim):
    call = finished_call(twilio, session)
    job_id = f"rate-{call.call_sid}"
    assert job_id in rq_queue.job_ids and records_of(session, call.id) == []
    env = hotline_env(database_url, REDIS_TEST_URL, **FAST_WORKER)
    lock_engine = create_engine(database_url)
    workers: list[WorkerProcess] = []
    try:
        with lock_engine.connect() as lock:
            lock.execute(text("SELECT id FROM calls WHERE id = :id FOR UPDATE"), {"id": call.id})
            workers.append(WorkerProcess(env, tmp_path / "worker.log"))
            wait_until(lambda: waiting_for_a_lock(lock_engine, "%FOR UPDATE%"), 30,
                       "the rating job to wait for the call's row")
            horse = wait_until(workers[0].horse, 10, "the work horse")
            if victim == "horse":
                kill(horse)
                wait_until(lambda: not is_alive(horse), 10, "the horse to die")
            else:
                workers[0].kill_all()
            lock.rollback()  # the row is free again: a horse that lived on would rate now
        assert records_of(session, call.id) == []
        if victim == "whole worker":
            workers.append(WorkerProcess(env, tmp_path / "worker.log"))
        wait_until(lambda: job_finished(rq_queue, job_id), 150,
                   "the rating job to be run again and finish")
        assert_one_identical_record(session, call.id, QUEUE_SECONDS, TALK_SECONDS)
        job = Job.fetch(job_id, connection=rq_queue.connection)
        assert job.retries_left == 2  # run twice: killed, then retried
        log = workers[-1].output()
        assert f"Job {job_id}: scheduled for retry" in log, log[-3000:]
        if victim == "horse":
            assert "Work-horse terminated unexpectedly" in log
    finally:
        for worker in workers:
            worker.stop()
        lock_engine.dispose()


@postgresql_only
def test_the_catch_up_and_a_rating_job_at_the_same_moment_make_one_record(
        app, twilio, session, database_url):
    """`hotline billing rate` catches up calls whose job was lost; a job that writes the
    record while the catch-up inserts its batch wins, and the catch-up does not fail."""
    call = finished_call(twilio, session)
    session.execute(delete(ChargeRecord))  # as if the job had been lost
    session.commit()
    month = call.started_at.strftime("%Y-%m")
    job_engine = create_engine(database_url)
    outcome = {}
    try:
        with job_engine.connect() as job:  # a rating job in the middle of its transaction
            with app.app_context(), Session(job) as job_session:
                late_call = job_session.get(Call, call.id, with_for_update=True)
                rater(job_session).record(job_session, late_call, None, cause="test")
                job_session.flush()
                command = ["billing", "rate", "--month", month]
                sweep = threading.Thread(target=lambda: outcome.update(
                    result=app.test_cli_runner().invoke(args=command)))
                sweep.start()
                wait_until(lambda: waiting_for_a_lock(job_engine), 30,
                           "the catch-up to wait for the job's record")
                job_session.commit()
            sweep.join(30)
    finally:
        job_engine.dispose()
    result = outcome["result"]
    assert result.exit_code == 0, result.output
    assert "1 calls rated" in result.output
    session.expire_all()
    assert_one_identical_record(session, call.id, QUEUE_SECONDS, TALK_SECONDS)
