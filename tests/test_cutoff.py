"""The 60-minute cut-off (§ 113): a scheduled rq job per call, and a sweep without Redis."""
import datetime as dt

from rq import SimpleWorker
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from billing.cutoff import CUT_OFF_EVENT
from ivr.calls import find_call
from ivr.models import CallEvent
from tests.billing_calls import UTC, finished_call

HANG_UP = {"Status": "completed"}


def cut_off_events(session, call):
    return session.scalars(select(CallEvent.detail).where(
        CallEvent.call_id == call.id, CallEvent.kind == CUT_OFF_EVENT)).all()


def age(session, call_sid, minutes):
    """Move the call's start back, as if it had gone on for that long."""
    call = find_call(session, call_sid)
    call.started_at = dt.datetime.now(UTC) - dt.timedelta(minutes=minutes)
    session.commit()
    return call


def run_due_jobs(app, rq_queue):
    """What a worker started with --with-scheduler does once the scheduled moment came."""
    registry = ScheduledJobRegistry(queue=rq_queue)
    for job_id in registry.get_job_ids():
        registry.schedule(rq_queue.fetch_job(job_id), dt.datetime.now(UTC) - dt.timedelta(seconds=1))
    with app.app_context():
        SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True, with_scheduler=True)


def test_a_new_call_schedules_its_cut_off_60_minutes_after_it_started(twilio, rq_queue, session):
    twilio.start()
    call = find_call(session, twilio.call_sid)
    registry = ScheduledJobRegistry(queue=rq_queue)
    assert registry.get_job_ids() == [f"cutoff-{twilio.call_sid}"]
    job = rq_queue.fetch_job(f"cutoff-{twilio.call_sid}")
    assert (job.func_name, job.args) == ("billing.cutoff.cut_off_call", (twilio.call_sid,))
    scheduled = registry.get_scheduled_time(job)
    assert abs(scheduled - (call.started_at + dt.timedelta(minutes=60))) < dt.timedelta(seconds=1)
    twilio.start()  # a repeated first request schedules nothing more
    assert registry.get_job_ids() == [f"cutoff-{twilio.call_sid}"]


def test_the_scheduled_job_hangs_up_a_call_still_open_at_60_minutes(app, twilio, rq_queue, session,
                                                                     twilio_api):
    twilio.to_menu()
    call = age(session, twilio.call_sid, 60)
    run_due_jobs(app, rq_queue)
    assert [(r.path.rsplit("/", 1)[-1], r.form) for r in twilio_api.requests] == \
        [(f"{twilio.call_sid}.json", HANG_UP)]
    assert cut_off_events(session, call) == [{"ok": True}]


def test_the_scheduled_job_leaves_a_call_that_ended(app, twilio, rq_queue, session, twilio_api):
    twilio.to_menu()
    twilio.post("/twilio/status", CallStatus="completed", CallDuration="300")
    rq_queue.empty()  # the rating job is not what this test runs
    call = age(session, twilio.call_sid, 61)
    run_due_jobs(app, rq_queue)
    assert twilio_api.requests == []
    assert cut_off_events(session, call) == []


def test_the_sweep_cuts_off_each_open_call_over_60_minutes_once(app, session, twilio_api):
    now = dt.datetime.now(UTC)
    old = finished_call(session, "CA-old", now - dt.timedelta(minutes=61), 0, ended_at=None,
                        status="in-progress")
    finished_call(session, "CA-young", now - dt.timedelta(minutes=50), 0, ended_at=None,
                  status="in-progress")
    finished_call(session, "CA-ended", now - dt.timedelta(minutes=90), 600)
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["billing", "cutoff"])
    assert result.exit_code == 0 and "1 calls cut off, 0 failed" in result.output
    assert [r.path.rsplit("/", 1)[-1] for r in twilio_api.requests] == ["CA-old.json"]
    assert runner.invoke(args=["billing", "cutoff"]).output.startswith("0 calls cut off")
    assert len(twilio_api.requests) == 1
    assert cut_off_events(session, old) == [{"ok": True}]


def test_a_refused_cut_off_is_reported_and_noted(app, session, twilio_api):
    twilio_api.status = 404
    call = finished_call(session, "CA-gone", dt.datetime.now(UTC) - dt.timedelta(minutes=70), 0,
                         ended_at=None, status="in-progress")
    session.commit()
    result = app.test_cli_runner().invoke(args=["billing", "cutoff"])
    assert result.exit_code == 1 and "0 calls cut off, 1 failed" in result.output
    [detail] = cut_off_events(session, call)
    assert detail["ok"] is False and "CA-gone" in detail["error"]
