"""With REDIS_URL the rating job goes to rq and a worker runs it; without, it runs inline."""
from rq import SimpleWorker
from sqlalchemy import func, select

from billing.models import ChargeRecord
from ivr import jobs
from ivr.models import PendingJob


def test_completed_call_enqueues_one_rating_job_that_a_worker_runs(app, rq_queue, twilio, session):
    twilio.to_menu()
    twilio.post("/twilio/status", CallStatus="completed", CallDuration="30", SequenceNumber="4")
    twilio.post("/twilio/status", CallStatus="completed", CallDuration="30", SequenceNumber="4")
    queue = rq_queue
    assert queue.job_ids == [f"rate-{twilio.call_sid}"]
    assert queue.jobs[0].func_name == "billing.jobs.rate_call"
    assert session.scalar(select(func.count(ChargeRecord.id))) == 0  # the webhook did not wait
    with app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert session.scalar(select(func.count(ChargeRecord.id))) == 1


def test_a_job_redis_cannot_take_is_kept_in_the_database(app, twilio, session, caplog):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    jobs.init_app(app)
    twilio.start()
    twilio.keys("greeting", "")
    response = twilio.post("/twilio/status", CallStatus="completed", CallDuration="30")
    assert response.status_code == 204
    assert session.scalar(select(func.count(ChargeRecord.id))) == 0  # not run inline
    kept = session.scalars(select(PendingJob).order_by(PendingJob.id)).all()
    assert [(job.function, job.args, job.job_id) for job in kept] == [
        ("billing.cutoff.cut_off_call", [twilio.call_sid], f"cutoff-{twilio.call_sid}"),
        ("billing.jobs.rate_call", [twilio.call_sid], f"rate-{twilio.call_sid}")]
    assert kept[0].run_at is not None and kept[1].run_at is None
    assert f"Redis refused job rate-{twilio.call_sid}" in caplog.text
    assert f"Redis refused scheduled job cutoff-{twilio.call_sid}" in caplog.text
